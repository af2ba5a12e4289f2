package dev.loopwire.engine.tools.internal;

import dev.loopwire.engine.tools.ToolContext;
import dev.loopwire.engine.tools.ToolResult;
import java.io.IOException;
import java.util.Map;

/** {@code update_memory {text}}: appends a note to the loop's memory file. */
public final class UpdateMemoryTool extends BuiltinTool {

    /** Characters one note may have. */
    public static final int MAX_NOTE_CHARS = 10_000;

    public UpdateMemoryTool() {
        super("update_memory",
                "Append a note to this loop's memory file. The memory is shown at the start of every"
                        + " later iteration, so record what the next iteration needs: decisions, findings,"
                        + " what was tried and failed, what to do next. Keep notes short and factual.",
                InputSchema.forTool("update_memory")
                        .requiredText("text", MAX_NOTE_CHARS, "The note to append (Markdown, at most "
                                + MAX_NOTE_CHARS + " characters).")
                        .build());
    }

    @Override
    public String subject(Map<String, Object> input) {
        return "";
    }

    @Override
    public boolean asksByDefault(Map<String, Object> input) {
        return false;
    }

    @Override
    protected ToolResult run(Map<String, Object> input, ToolContext context) throws ToolFailure {
        if (context.memory() == null) {
            throw new ToolFailure("update_memory is not available: this loop has no memory file");
        }
        String text = InputSchema.string(input, "text", "").strip();
        try {
            context.memory().appendNote(text);
        } catch (IOException e) {
            throw new ToolFailure("could not update the memory file: " + TextFiles.describe(e));
        }
        return ToolResult.ok("noted in memory (" + text.length() + " characters)");
    }
}
