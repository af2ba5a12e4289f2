package dev.loopwire.protocol;


/** A second provider that judges whether the goal is met. */
public record JudgeConfig(ProviderSpec provider) {
}
