package dev.loopwire.protocol;


/** {@code loop/memoryChanged}: the memory file changed, whoever changed it. */
public record MemoryChangedParams(String loopId, String path) {
}
