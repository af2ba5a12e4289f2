package dev.loopwire.protocol;


/** Result of {@code loop/memory}: the memory file's absolute path and content. */
public record MemoryResult(String path, String content) {
}
