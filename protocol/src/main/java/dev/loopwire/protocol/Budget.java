package dev.loopwire.protocol;


/** Limits of a loop; a null field means no limit. */
public record Budget(Integer maxIterations, Long maxTokens, Double maxWallSeconds, Double maxCostUsd) {
}
