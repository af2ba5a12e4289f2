package dev.loopwire.intellij.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The command line that starts {@code loopwire serve}: which Java, which server jar, which
 * arguments. Finding them follows a fixed order so that a person can predict it:
 * <ul>
 *   <li>Java: the configured path, else {@code $JAVA_HOME/bin/java}, else the Java running
 *       this code (the IDE's runtime);</li>
 *   <li>server jar: the configured path, else the system property {@code loopwire.server.jar},
 *       else {@code $LOOPWIRE_SERVER_JAR}, else {@code server/loopwire.jar} in the plugin
 *       folder next to this code.</li>
 * </ul>
 * Every path is checked before anything starts; a missing one gives a message that says what
 * was looked for and where to set it.
 *
 * @param java       the Java executable
 * @param serverJar  the runnable server jar
 * @param jvmArgs    arguments for the JVM (before {@code -jar})
 * @param serverArgs arguments after {@code serve}
 */
public record ServerCommand(Path java, Path serverJar, List<String> jvmArgs, List<String> serverArgs) {

    /** Canonical constructor: copies the lists. */
    public ServerCommand {
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(serverJar, "serverJar");
        jvmArgs = List.copyOf(jvmArgs);
        serverArgs = List.copyOf(serverArgs);
    }

    /** The full argument vector for {@link ProcessBuilder}. */
    public List<String> toArgv() {
        List<String> argv = new ArrayList<>();
        argv.add(java.toString());
        argv.addAll(jvmArgs);
        argv.add("-jar");
        argv.add(serverJar.toString());
        argv.add("serve");
        argv.addAll(serverArgs);
        return argv;
    }

    /**
     * Resolves the command from settings, the environment and the plugin folder.
     *
     * @param settings  what the user configured (blank fields mean "find it")
     * @param env       the environment to read {@code JAVA_HOME} and {@code LOOPWIRE_SERVER_JAR} from
     * @param pluginDir the plugin's installation folder, or {@code null} when unknown
     * @throws ServerLaunchException when Java or the jar cannot be found
     */
    public static ServerCommand resolve(ServerSettings settings, Map<String, String> env, Path pluginDir) {
        Path java = findJava(settings.javaPath(), env);
        Path jar = findServerJar(settings.serverJar(), env, pluginDir);
        return new ServerCommand(java, jar, List.of("-Xss2m"), ArgSplitter.split(settings.serverArgs()));
    }

    static Path findJava(String configured, Map<String, String> env) {
        String exe = isWindows() ? "java.exe" : "java";
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured.trim());
            if (Files.isDirectory(p)) {
                p = p.resolve("bin").resolve(exe);
            }
            if (!Files.isExecutable(p)) {
                throw new ServerLaunchException("The configured Java path " + p
                        + " is not an executable Java. Fix it in Settings | Tools | Loopwire.");
            }
            return p;
        }
        String javaHome = env.get("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            Path p = Path.of(javaHome, "bin", exe);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        Path own = Path.of(System.getProperty("java.home"), "bin", exe);
        if (Files.isExecutable(own)) {
            return own;
        }
        throw new ServerLaunchException("No Java 17+ found: JAVA_HOME is not set to a JDK and the IDE's runtime"
                + " has no java executable. Set the Java path in Settings | Tools | Loopwire.");
    }

    static Path findServerJar(String configured, Map<String, String> env, Path pluginDir) {
        List<String> looked = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured.trim());
            if (Files.isRegularFile(p)) {
                return p;
            }
            throw new ServerLaunchException("The configured server jar " + p
                    + " does not exist. Fix it in Settings | Tools | Loopwire.");
        }
        String prop = System.getProperty("loopwire.server.jar");
        if (prop != null && !prop.isBlank()) {
            Path p = Path.of(prop);
            if (Files.isRegularFile(p)) {
                return p;
            }
            looked.add(p + " (system property loopwire.server.jar)");
        }
        String fromEnv = env.get("LOOPWIRE_SERVER_JAR");
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path p = Path.of(fromEnv);
            if (Files.isRegularFile(p)) {
                return p;
            }
            looked.add(p + " ($LOOPWIRE_SERVER_JAR)");
        }
        if (pluginDir != null) {
            Path p = pluginDir.resolve("server").resolve("loopwire.jar");
            if (Files.isRegularFile(p)) {
                return p;
            }
            looked.add(p + " (bundled with the plugin)");
        }
        throw new ServerLaunchException("The Loopwire server jar was not found"
                + (looked.isEmpty() ? "" : "; looked at " + String.join(", ", looked))
                + ". Set the server jar in Settings | Tools | Loopwire.");
    }

    /**
     * The plugin folder that holds the jar this class was loaded from: {@code <plugin>/lib/x.jar}
     * gives {@code <plugin>}. Uses the class's code source, else the URL of its class file (the
     * IDE's plugin class loader serves {@code jar:file:...!/...} URLs). {@code null} when the code
     * does not come from a jar.
     */
    public static Path pluginDirOf(Class<?> type) {
        try {
            var source = type.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                Path location = Path.of(source.getLocation().toURI());
                if (Files.isRegularFile(location)) {
                    return pluginDirOfJar(location);
                }
            }
        } catch (Exception e) {
            // fall through to the resource URL
        }
        URL own = type.getResource(type.getSimpleName() + ".class");
        Path jar = own == null ? null : jarOf(own);
        return jar == null ? null : pluginDirOfJar(jar);
    }

    /** The jar file of a {@code jar:file:/x.jar!/entry} URL, or {@code null} for other URLs. */
    static Path jarOf(URL url) {
        if (!"jar".equals(url.getProtocol())) {
            return null;
        }
        String spec = url.getPath();
        int bang = spec.indexOf("!/");
        if (bang < 0) {
            return null;
        }
        try {
            return Path.of(new URI(spec.substring(0, bang)));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Path pluginDirOfJar(Path jar) {
        Path lib = jar.toAbsolutePath().getParent();
        return lib == null ? null : lib.getParent();
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
