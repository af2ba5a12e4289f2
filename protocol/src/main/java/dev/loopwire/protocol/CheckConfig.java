package dev.loopwire.protocol;


/** A verification command run in the workspace; {@code every}: {@code done} (default, after a done claim) or {@code iteration}. */
public record CheckConfig(String command, Double timeoutSeconds, String every) {
}
