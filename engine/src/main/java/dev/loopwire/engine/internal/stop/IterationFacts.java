package dev.loopwire.engine.internal.stop;

/**
 * What one completed iteration did, as the streak policies see it.
 *
 * @param index            the iteration
 * @param summary          its summary (at most 500 characters)
 * @param artifactsChanged true when files of the workspace changed; null when unknown (first scan)
 * @param memoryChanged    true when the memory file changed (beyond the engine's progress line)
 * @param failure          the failure signature when the iteration failed (provider error, every
 *                         tool call failed), else null
 * @param invalidPlan      the iteration ended with tool arguments that stayed invalid
 */
public record IterationFacts(int index, String summary, Boolean artifactsChanged, boolean memoryChanged,
        String failure, boolean invalidPlan) {
}
