package dev.loopwire.engine.tools.internal;

import dev.loopwire.engine.spi.ToolSpec;
import dev.loopwire.engine.tools.PathOutsideWorkspaceException;
import dev.loopwire.engine.tools.Tool;
import dev.loopwire.engine.tools.ToolContext;
import dev.loopwire.engine.tools.ToolResult;
import dev.loopwire.engine.tools.Workspace;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What every built-in tool shares: the spec built from an {@link InputSchema}, validation, and
 * turning {@link ToolFailure} and refused paths into {@link ToolResult#error}.
 */
public abstract class BuiltinTool implements Tool {

    private final ToolSpec spec;
    private final InputSchema schema;

    protected BuiltinTool(String name, String description, InputSchema schema) {
        this.spec = new ToolSpec(name, description, schema.jsonSchema());
        this.schema = schema;
    }

    @Override
    public final ToolSpec spec() {
        return spec;
    }

    @Override
    public List<String> validate(Map<String, Object> input) {
        return schema.validate(input);
    }

    @Override
    public final ToolResult execute(Map<String, Object> input, ToolContext context) throws InterruptedException {
        List<String> problems = validate(input);
        if (!problems.isEmpty()) {
            return ToolResult.error("invalid arguments for " + name() + ": " + String.join("; ", problems));
        }
        try {
            return run(input, context);
        } catch (ToolFailure | PathOutsideWorkspaceException e) {
            if (Thread.currentThread().isInterrupted()) {
                // e.g. an interruptible file channel closed by the interrupt: cancellation, not an error
                Thread.interrupted();
                throw new InterruptedException("cancelled");
            }
            return ToolResult.error(e.getMessage());
        }
    }

    /** Runs a call whose input is valid. */
    protected abstract ToolResult run(Map<String, Object> input, ToolContext context)
            throws ToolFailure, PathOutsideWorkspaceException, InterruptedException;

    /**
     * A path as given, normalized without touching the disk: {@code /} separators, no
     * {@code ./} or {@code a/..}; {@code .} for the workspace itself.
     */
    static String lexicalPath(String path) {
        if (path == null || path.isBlank()) {
            return ".";
        }
        try {
            String normal = Path.of(path.replace('\\', '/')).normalize().toString().replace('\\', '/');
            return normal.isEmpty() ? "." : normal;
        } catch (InvalidPathException e) {
            return path;
        }
    }

    /** The workspace-relative form of a path, or its lexical form when it is refused. */
    static String workspacePath(String path, Workspace workspace) {
        try {
            return workspace.relativize(workspace.resolve(path));
        } catch (PathOutsideWorkspaceException e) {
            return lexicalPath(path);
        }
    }
}
