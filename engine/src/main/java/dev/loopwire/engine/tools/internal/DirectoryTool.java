package dev.loopwire.engine.tools.internal;

import dev.loopwire.engine.tools.PathOutsideWorkspaceException;
import dev.loopwire.engine.tools.Workspace;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;

/**
 * A read-only tool over a directory (or one file) named by an optional {@code path} field
 * ({@code list_files}, {@code search_files}): subject is that path ({@code .} for the whole
 * workspace), it never asks by default, and it names no touched paths (it only reads, and
 * a whole tree would be too many to check).
 */
abstract class DirectoryTool extends BuiltinTool {

    static final String PATH = "path";

    DirectoryTool(String name, String description, InputSchema schema) {
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
        return List.of();
    }

    /** The resolved start of the walk, which must exist. */
    static Path start(Workspace workspace, String path) throws PathOutsideWorkspaceException, ToolFailure {
        Path start = workspace.resolve(path);
        BasicFileAttributes attributes = TextFiles.attributesOrNull(start);
        if (attributes == null) {
            throw new ToolFailure("not found: '" + workspace.relativize(start) + "' (list_files shows what exists)");
        }
        return start;
    }
}
