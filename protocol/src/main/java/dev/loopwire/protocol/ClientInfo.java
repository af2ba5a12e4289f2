package dev.loopwire.protocol;


/** Who the client is: {@code initialize.clientInfo}. */
public record ClientInfo(String name, String version) {
}
