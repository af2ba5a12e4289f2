package dev.loopwire.engine.tools;

import dev.loopwire.engine.tools.internal.EditFileTool;
import dev.loopwire.engine.tools.internal.ListFilesTool;
import dev.loopwire.engine.tools.internal.ReadFileTool;
import dev.loopwire.engine.tools.internal.RunCommandTool;
import dev.loopwire.engine.tools.internal.SearchFilesTool;
import dev.loopwire.engine.tools.internal.UpdateMemoryTool;
import dev.loopwire.engine.tools.internal.WriteFileTool;
import java.util.List;
import java.util.Optional;

/**
 * The engine's built-in tools for API providers: {@code read_file}, {@code write_file},
 * {@code edit_file}, {@code list_files}, {@code search_files}, {@code run_command} and
 * {@code update_memory}. Each validates its input against its JSON Schema, confines every path
 * to the {@link Workspace}, and returns problems the model can act on as
 * {@link ToolResult#error}. {@code run_command} asks for approval by default; the file tools do
 * not. See {@code docs/tools.md}.
 */
public final class BuiltinTools {

    private static final List<Tool> ALL = List.of(
            new ReadFileTool(),
            new WriteFileTool(),
            new EditFileTool(),
            new ListFilesTool(),
            new SearchFilesTool(),
            new RunCommandTool(),
            new UpdateMemoryTool());

    private BuiltinTools() {
    }

    /** Every built-in tool, in a fixed order (the order their specs are offered to the model). */
    public static List<Tool> all() {
        return ALL;
    }

    /** The built-in tool named {@code name}, if there is one. */
    public static Optional<Tool> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (Tool tool : ALL) {
            if (tool.name().equals(name)) {
                return Optional.of(tool);
            }
        }
        return Optional.empty();
    }
}
