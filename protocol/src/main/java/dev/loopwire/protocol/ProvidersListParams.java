package dev.loopwire.protocol;


/** Params of {@code providers/list} (empty). */
public record ProvidersListParams() {
}
