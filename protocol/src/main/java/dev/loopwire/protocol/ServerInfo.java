package dev.loopwire.protocol;


/** Who the server is: {@code initialize} result. */
public record ServerInfo(String name, String version) {
}
