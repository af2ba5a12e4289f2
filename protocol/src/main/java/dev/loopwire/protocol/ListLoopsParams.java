package dev.loopwire.protocol;


/** Params of {@code loop/list}; without {@code workspace}, every loop the server knows. */
public record ListLoopsParams(String workspace) {
}
