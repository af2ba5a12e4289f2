package dev.loopwire.engine.tools.internal;

import dev.loopwire.engine.tools.Workspace;
import java.util.List;
import java.util.Map;

/**
 * A tool on one file named by a required {@code path} field ({@code read_file},
 * {@code write_file}, {@code edit_file}): its subject and touched path are that path, and it
 * does not ask for approval by default.
 */
abstract class FileTool extends BuiltinTool {

    static final String PATH = "path";

    FileTool(String name, String description, InputSchema schema) {
        super(name, description, schema);
    }

    @Override
    public String subject(Map<String, Object> input) {
        return lexicalPath(InputSchema.string(input, PATH, ""));
    }

    @Override
    public String subject(Map<String, Object> input, Workspace workspace) {
        return workspacePath(InputSchema.string(input, PATH, ""), workspace);
    }

    @Override
    public boolean asksByDefault(Map<String, Object> input) {
        return false;
    }

    @Override
    public List<String> touchedPaths(Map<String, Object> input) {
        return List.of(subject(input));
    }

    @Override
    public List<String> touchedPaths(Map<String, Object> input, Workspace workspace) {
        return List.of(subject(input, workspace));
    }
}
