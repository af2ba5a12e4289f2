package dev.loopwire.engine.tools;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.CommandRunner;
import dev.loopwire.engine.spi.ProcessTracker;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a tool call may use.
 *
 * @param workspace   the confined workspace
 * @param memory      the loop's memory file ({@code update_memory})
 * @param commands    runs {@code run_command}
 * @param processes   records started processes in the loop's state
 * @param environment the environment for commands, already scrubbed of secrets
 * @param cancel      fires when the loop is cancelled
 * @param log         streamed progress lines (e.g. a command's output as it comes), may be ignored
 */
public record ToolContext(
        Workspace workspace,
        MemoryNotes memory,
        CommandRunner commands,
        ProcessTracker processes,
        Map<String, String> environment,
        Cancellation cancel,
        Consumer<String> log) {
}
