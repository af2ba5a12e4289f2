package dev.loopwire.engine.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The layout of a loop's {@code memory.md}: {@code ## Goal}, {@code ## Progress log} (one line per
 * iteration) and {@code ## Notes}. The engine only ever inserts lines into a section of the text
 * as it is on disk now, so a person's edits are kept.
 */
public final class MemoryText {

    public static final String GOAL = "Goal";
    public static final String PROGRESS = "Progress log";
    public static final String NOTES = "Notes";

    private MemoryText() {
    }

    public static String initial(String name, String goal) {
        return "# Loop memory: " + name + "\n\n"
                + "## " + GOAL + "\n\n" + goal.strip() + "\n\n"
                + "## " + PROGRESS + "\n\n"
                + "## " + NOTES + "\n\n";
    }

    /** The progress line of iteration {@code index}. */
    public static String progressLine(int index, String summary) {
        String oneLine = summary == null ? "" : summary.replaceAll("\\s+", " ").strip();
        return "- #" + index + ": " + oneLine;
    }

    /** Whether the progress log already has iteration {@code index}'s line. */
    public static boolean hasProgressLine(String text, int index) {
        String prefix = "- #" + index + ":";
        return text.lines().anyMatch(l -> l.startsWith(prefix));
    }

    /**
     * Inserts {@code line} at the end of section {@code heading} (before the next {@code ## }
     * heading, after the section's last non-blank line). A missing section is appended.
     */
    public static String insert(String text, String heading, String line) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equalsIgnoreCase("## " + heading)) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            StringBuilder out = new StringBuilder(text);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                out.append('\n');
            }
            if (!text.isEmpty()) {
                out.append('\n');
            }
            return out.append("## ").append(heading).append("\n\n").append(line).append('\n').toString();
        }
        int end = lines.size();
        for (int i = start + 1; i < lines.size(); i++) {
            if (lines.get(i).startsWith("## ") || lines.get(i).startsWith("# ")) {
                end = i;
                break;
            }
        }
        int insertAt = end;
        while (insertAt > start + 1 && lines.get(insertAt - 1).isBlank()) {
            insertAt--;
        }
        if (insertAt == start + 1) {
            if (insertAt >= lines.size() || !lines.get(insertAt).isBlank()) {
                lines.add(insertAt, "");
            }
            insertAt++;
        }
        lines.add(insertAt, line);
        if (insertAt + 1 < lines.size() && !lines.get(insertAt + 1).isBlank()) {
            lines.add(insertAt + 1, "");
        }
        return String.join("\n", lines) + "\n";
    }
}
