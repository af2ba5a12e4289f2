package dev.loopwire.protocol;


/** Result of {@code initialize}. */
public record InitializeResult(int protocolVersion, ServerInfo serverInfo, ServerCapabilities capabilities) {
}
