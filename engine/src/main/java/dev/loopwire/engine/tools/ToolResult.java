package dev.loopwire.engine.tools;

import java.util.List;

/**
 * What a tool call produced, sent back to the model as the tool result.
 *
 * @param ok           false for an error the model should see
 * @param output       the result text (for errors: a structured, actionable message)
 * @param changedPaths workspace-relative paths the call wrote or deleted
 */
public record ToolResult(boolean ok, String output, List<String> changedPaths) {

    public ToolResult {
        output = output == null ? "" : output;
        changedPaths = changedPaths == null ? List.of() : List.copyOf(changedPaths);
    }

    public static ToolResult ok(String output) {
        return new ToolResult(true, output, List.of());
    }

    public static ToolResult changed(String output, String path) {
        return new ToolResult(true, output, List.of(path));
    }

    public static ToolResult error(String message) {
        return new ToolResult(false, message, List.of());
    }
}
