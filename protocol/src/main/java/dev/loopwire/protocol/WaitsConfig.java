package dev.loopwire.protocol;


/** Waits between iterations. */
public record WaitsConfig(Double intervalSeconds, Double maxWaitSeconds, Double pidPollSeconds) {
}
