package dev.loopwire.engine.tools.internal;

import dev.loopwire.engine.spi.CommandResult;
import dev.loopwire.engine.spi.CommandSpec;
import dev.loopwire.engine.tools.ToolContext;
import dev.loopwire.engine.tools.ToolResult;
import java.util.Locale;
import java.util.Map;

/**
 * {@code run_command {command, timeoutSeconds?}}: a shell command in the workspace, through the
 * engine's {@link dev.loopwire.engine.spi.CommandRunner} (which kills the whole process tree on
 * timeout or cancel). Asks for approval by default. The result is an error for the model when
 * the command exits non-zero, times out or is cancelled.
 */
public final class RunCommandTool extends BuiltinTool {

    public static final int DEFAULT_TIMEOUT_SECONDS = 120;
    public static final int MAX_TIMEOUT_SECONDS = 3600;
    /** Output characters kept (head and tail), stdout and stderr together. */
    public static final int MAX_OUTPUT_CHARS = 30_000;

    private static final String COMMAND = "command";
    private static final String TIMEOUT = "timeoutSeconds";

    public RunCommandTool() {
        super("run_command",
                "Run a shell command (/bin/sh -c) with the workspace root as working directory and return"
                        + " its exit code and combined stdout and stderr (long output keeps its beginning and"
                        + " end, " + MAX_OUTPUT_CHARS + " characters in all). The command and everything it starts"
                        + " are killed after timeoutSeconds. Do not start commands that wait for input or run"
                        + " for ever (servers, watchers). A person may have to approve the command first.",
                InputSchema.forTool("run_command")
                        .requiredText(COMMAND, 100_000, "The shell command line, e.g. 'mvn -q test' or"
                                + " 'ls -la src | head -50'.")
                        .optionalInteger(TIMEOUT, 1, MAX_TIMEOUT_SECONDS, "Seconds before the command is killed"
                                + " (default " + DEFAULT_TIMEOUT_SECONDS + ", at most " + MAX_TIMEOUT_SECONDS + ").")
                        .build());
    }

    @Override
    public String subject(Map<String, Object> input) {
        return InputSchema.string(input, COMMAND, "");
    }

    @Override
    public boolean asksByDefault(Map<String, Object> input) {
        return true;
    }

    @Override
    protected ToolResult run(Map<String, Object> input, ToolContext context) throws ToolFailure, InterruptedException {
        if (context.commands() == null) {
            throw new ToolFailure("run_command is not available: this engine has no command runner");
        }
        String command = InputSchema.string(input, COMMAND, "");
        long timeout = InputSchema.integer(input, TIMEOUT, DEFAULT_TIMEOUT_SECONDS);
        CommandSpec spec = new CommandSpec(command, context.workspace().root(),
                context.environment() == null ? Map.of() : context.environment(), timeout, MAX_OUTPUT_CHARS);
        CommandResult result = context.commands().run(spec, context.cancel(),
                context.processes() == null ? dev.loopwire.engine.spi.ProcessTracker.NONE : context.processes());
        return toToolResult(result, timeout);
    }

    /** The text the model sees for a finished command. */
    static ToolResult toToolResult(CommandResult result, long timeoutSeconds) {
        StringBuilder text = new StringBuilder();
        String duration = String.format(Locale.ROOT, "%.1f s", result.durationMillis() / 1000.0);
        if (result.cancelled()) {
            text.append("cancelled after ").append(duration)
                    .append(": the command and every process it started were killed\n");
        } else if (result.timedOut()) {
            text.append("timed out after ").append(timeoutSeconds)
                    .append(" s: the command and every process it started were killed (raise timeoutSeconds,"
                            + " at most ").append(MAX_TIMEOUT_SECONDS).append(", if it needs longer)\n");
        } else {
            text.append("exit code ").append(result.exitCode()).append(" (").append(duration).append(")\n");
        }
        String output = result.output() == null ? "" : result.output();
        if (output.isEmpty()) {
            text.append("(no output)");
        } else {
            if (result.truncated()) {
                text.append("[output truncated to ").append(MAX_OUTPUT_CHARS)
                        .append(" characters: the beginning and the end are kept]\n");
            }
            text.append(output);
        }
        boolean ok = result.exitCode() == 0 && !result.timedOut() && !result.cancelled();
        return new ToolResult(ok, text.toString(), java.util.List.of());
    }
}
