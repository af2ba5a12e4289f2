package dev.loopwire.engine.tools.internal;

import dev.loopwire.engine.tools.PathOutsideWorkspaceException;
import dev.loopwire.engine.tools.ToolContext;
import dev.loopwire.engine.tools.ToolResult;
import java.nio.file.Path;
import java.util.Map;

/** {@code read_file {path}}: a UTF-8 text file's content, capped with a note. */
public final class ReadFileTool extends FileTool {

    /** Characters returned at most; the rest is replaced by a note. */
    public static final int MAX_CHARS = 50_000;

    public ReadFileTool() {
        super("read_file",
                "Read a UTF-8 text file in the workspace and return its full content. Content over "
                        + MAX_CHARS + " characters is cut, with a note saying how much was left out. Binary"
                        + " files, files over 10 MB, special files and paths outside the workspace are refused.",
                InputSchema.forTool("read_file")
                        .requiredText(PATH, 4096, "Path of the file, relative to the workspace root (e.g. 'src/main.py').")
                        .build(), false);
    }

    @Override
    protected ToolResult run(Map<String, Object> input, ToolContext context)
            throws ToolFailure, PathOutsideWorkspaceException {
        Path file = context.workspace().resolve(InputSchema.string(input, PATH, ""));
        String shown = context.workspace().relativize(file);
        String text = TextFiles.readText(context.workspace(), file, shown);
        if (text.isEmpty()) {
            return ToolResult.ok("(the file '" + shown + "' is empty)");
        }
        if (text.length() <= MAX_CHARS) {
            return ToolResult.ok(text);
        }
        int cut = MAX_CHARS;
        int lastNewline = text.lastIndexOf('\n', cut - 1);
        if (lastNewline > MAX_CHARS / 2) {
            cut = lastNewline + 1; // end on a whole line
        } else if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        int shownLines = TextFiles.lineCount(text.substring(0, cut));
        int totalLines = TextFiles.lineCount(text);
        String note = "\n[truncated: showing the first " + cut + " of " + text.length() + " characters (lines 1-"
                + shownLines + " of " + totalLines + "); read the rest with run_command, e.g. sed -n '"
                + (shownLines + 1) + "," + (shownLines + 400) + "p' " + shellQuoted(shown)
                + ", or find lines with search_files]";
        return ToolResult.ok(text.substring(0, cut) + (text.charAt(cut - 1) == '\n' ? "" : "\n") + note.substring(1));
    }

    private static String shellQuoted(String path) {
        if (path.matches("[A-Za-z0-9_./@%+=:,-]+")) {
            return path;
        }
        return "'" + path.replace("'", "'\\''") + "'";
    }
}
