package dev.loopwire.intellij.core;

/**
 * What a user can configure about the server process. Blank strings mean "find it"
 * (see {@link ServerCommand#resolve}).
 *
 * @param javaPath   a Java executable or a JDK folder
 * @param serverJar  the server jar
 * @param serverArgs extra arguments after {@code serve}, split like a shell would (quotes kept together)
 */
public record ServerSettings(String javaPath, String serverJar, String serverArgs) {

    /** Nothing configured: find everything. */
    public static ServerSettings defaults() {
        return new ServerSettings("", "", "");
    }
}
