package dev.loopwire.protocol;


/** Failure streak limits: identical failures in a row, failures of any kind in a row. */
public record FailureStreak(Integer identical, Integer any) {
}
