package dev.loopwire.engine.tools.internal;

import dev.loopwire.engine.tools.PathOutsideWorkspaceException;
import dev.loopwire.engine.tools.ToolContext;
import dev.loopwire.engine.tools.ToolResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code edit_file {path, oldText, newText}}: replaces one exact, unique piece of text. */
public final class EditFileTool extends FileTool {

    private static final int MAX_LINES_LISTED = 10;
    private static final int MAX_COUNTED = 1000;

    public EditFileTool() {
        super("edit_file",
                "Replace one exact piece of text in an existing text file. oldText must occur exactly once"
                        + " in the file, matching whitespace, indentation and line breaks character for"
                        + " character; include a few surrounding lines to make it unique. It is replaced by"
                        + " newText (empty to delete it). Read the file first if unsure of its content.",
                InputSchema.forTool("edit_file")
                        .requiredText(PATH, 4096, "Path of the file, relative to the workspace root.")
                        .requiredNonEmpty("oldText", WriteFileTool.MAX_CONTENT_CHARS,
                                "The exact text to replace; must occur exactly once in the file.")
                        .requiredString("newText", WriteFileTool.MAX_CONTENT_CHARS,
                                "The text to put in its place (may be empty).")
                        .build(), true);
    }

    @Override
    public List<String> validate(Map<String, Object> input) {
        List<String> problems = new ArrayList<>(super.validate(input));
        if (problems.isEmpty()) {
            String oldText = InputSchema.string(input, "oldText", "");
            if (oldText.equals(InputSchema.string(input, "newText", ""))) {
                problems.add("field 'newText': expected text different from oldText (they are identical,"
                        + " so the edit would change nothing)");
            }
        }
        return problems;
    }

    @Override
    protected ToolResult run(Map<String, Object> input, ToolContext context)
            throws ToolFailure, PathOutsideWorkspaceException {
        Path file = context.workspace().resolve(InputSchema.string(input, PATH, ""));
        String shown = context.workspace().relativize(file);
        refuseHiddenGitWrite(InputSchema.string(input, PATH, ""), shown);
        String text = TextFiles.readText(context.workspace(), file, shown);
        String oldText = InputSchema.string(input, "oldText", "");
        String newText = InputSchema.string(input, "newText", "");
        List<Integer> at = occurrences(text, oldText);
        if (at.isEmpty()) {
            String hint = !text.contains("\r\n") || oldText.contains("\r\n") || !oldText.contains("\n")
                    ? "" : " (the file uses CRLF line endings; oldText uses LF)";
            throw new ToolFailure("oldText was not found in '" + shown + "'" + hint + "; it must match the file"
                    + " exactly, including whitespace and line breaks (read_file shows the current content)");
        }
        if (at.size() > 1) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < at.size() && i < MAX_LINES_LISTED; i++) {
                lines.add(String.valueOf(TextFiles.lineOf(text, at.get(i))));
            }
            String times = at.size() > MAX_COUNTED ? "more than " + MAX_COUNTED : String.valueOf(at.size());
            throw new ToolFailure("oldText occurs " + times + " times in '" + shown + "' (at lines "
                    + String.join(", ", lines) + (at.size() > MAX_LINES_LISTED ? ", ..." : "")
                    + "); include more surrounding text so that it occurs exactly once");
        }
        int start = at.get(0);
        String updated = text.substring(0, start) + newText + text.substring(start + oldText.length());
        TextFiles.writeAtomically(file, updated, shown);
        return ToolResult.changed("edited '" + shown + "' at line " + TextFiles.lineOf(text, start) + ": replaced "
                + TextFiles.lineCount(oldText) + " line(s) with " + TextFiles.lineCount(newText) + " line(s)", shown);
    }

    /** Start offsets of every occurrence, overlapping ones included (each makes the edit ambiguous). */
    private static List<Integer> occurrences(String text, String part) {
        List<Integer> starts = new ArrayList<>();
        int from = 0;
        while (starts.size() <= MAX_COUNTED) {
            int found = text.indexOf(part, from);
            if (found < 0) {
                break;
            }
            starts.add(found);
            from = found + 1;
        }
        return starts;
    }
}
