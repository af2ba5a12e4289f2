package dev.loopwire.engine.tools.internal;

import dev.loopwire.engine.tools.PathOutsideWorkspaceException;
import dev.loopwire.engine.tools.ToolContext;
import dev.loopwire.engine.tools.ToolResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/** {@code write_file {path, content}}: creates or replaces a text file atomically. */
public final class WriteFileTool extends FileTool {

    /** Characters a file written at once may have. */
    public static final int MAX_CONTENT_CHARS = 5_000_000;

    public WriteFileTool() {
        super("write_file",
                "Create a text file, or replace an existing one, with the given content (the complete new"
                        + " content, UTF-8). Missing parent directories are created; the file is replaced"
                        + " atomically. To change part of an existing file, prefer edit_file.",
                InputSchema.forTool("write_file")
                        .requiredText(PATH, 4096, "Path of the file, relative to the workspace root (e.g. 'src/app.ts').")
                        .requiredString("content", MAX_CONTENT_CHARS, "The complete content of the file.")
                        .build(), true);
    }

    @Override
    protected ToolResult run(Map<String, Object> input, ToolContext context)
            throws ToolFailure, PathOutsideWorkspaceException {
        Path file = context.workspace().resolve(InputSchema.string(input, PATH, ""));
        String shown = context.workspace().relativize(file);
        refuseHiddenGitWrite(InputSchema.string(input, PATH, ""), shown);
        if (file.equals(context.workspace().root())) {
            throw new ToolFailure("'" + shown + "' is the workspace directory; give a file path");
        }
        BasicFileAttributes existing = TextFiles.attributesOrNull(file);
        if (existing != null) {
            TextFiles.requireUsableFile(context.workspace(), file, shown);
        }
        String content = InputSchema.string(input, "content", "");
        TextFiles.writeAtomically(file, content, shown);
        int bytes = content.getBytes(StandardCharsets.UTF_8).length;
        return ToolResult.changed((existing == null ? "created '" : "replaced '") + shown + "' ("
                + bytes + " bytes, " + TextFiles.lineCount(content) + " lines)", shown);
    }
}
