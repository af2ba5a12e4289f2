package dev.loopwire.engine.context;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Renders workspace context as prompt sections: plain text, one heading line, then {@code - }
 * items, at most {@value #MAX_ITEMS} of them followed by a count of the rest. Each method
 * returns a section without a trailing newline; join sections with a blank line.
 */
public final class PromptSections {

    /** Items listed before the rest is summarised as a count. */
    public static final int MAX_ITEMS = 50;

    private PromptSections() {
    }

    /**
     * The artifacts section for a scan: its changes, or (for a baseline scan) a line saying that
     * changes are reported from the next iteration on.
     */
    public static String artifacts(ScanResult result) {
        if (result.baseline()) {
            StringBuilder sb = new StringBuilder(
                    "Artifacts new, modified or deleted since the last iteration: not known");
            sb.append(result.previousProblem().isPresent()
                    ? " (" + result.previousProblem().get() + ")" : " (first scan)");
            sb.append("; the workspace has ").append(result.snapshot().fileCount())
                    .append(" visible file(s); changes are listed from the next iteration on.");
            return sb.toString();
        }
        return artifacts(result.changes());
    }

    /**
     * The artifacts section for a list of changes, e.g.
     * {@code - results/run1.csv | new | 1234 bytes | modified 2026-11-22T02:31:57Z}.
     */
    public static String artifacts(List<ArtifactChange> changes) {
        String heading = "Artifacts new, modified or deleted since the last iteration";
        if (changes.isEmpty()) {
            return heading + ": none.";
        }
        StringBuilder sb = new StringBuilder(heading).append(" (").append(changes.size())
                .append(counts(changes, 0)).append("):");
        int shown = Math.min(MAX_ITEMS, changes.size());
        for (int i = 0; i < shown; i++) {
            ArtifactChange c = changes.get(i);
            sb.append("\n- ").append(c.path()).append(" | ").append(c.status().label()).append(" | ")
                    .append(c.size()).append(" bytes | modified ").append(time(c.modified()));
        }
        if (changes.size() > shown) {
            sb.append("\n- ... ").append(changes.size() - shown).append(" more")
                    .append(counts(changes, shown));
        }
        return sb.toString();
    }

    /** The skills section, e.g. {@code - pdf-tables: Extract tables. (skills/pdf/SKILL.md)}. */
    public static String skills(List<Skill> skills) {
        if (skills.isEmpty()) {
            return "Local skills: none (no SKILL.md under skills/ or .loopwire/skills/).";
        }
        StringBuilder sb = new StringBuilder("Local skills (").append(skills.size())
                .append("; read a skill's SKILL.md before using it):");
        int shown = Math.min(MAX_ITEMS, skills.size());
        for (int i = 0; i < shown; i++) {
            Skill s = skills.get(i);
            sb.append("\n- ").append(s.name());
            if (!s.description().isEmpty()) {
                sb.append(": ").append(s.description());
            }
            sb.append(" (").append(s.path()).append(')');
        }
        if (skills.size() > shown) {
            sb.append("\n- ... ").append(skills.size() - shown).append(" more skill(s)");
        }
        return sb.toString();
    }

    /** The AGENTS.md section, or an empty string when the workspace has none. */
    public static String agents(Optional<AgentsFile> file) {
        return file.map(PromptSections::agents).orElse("");
    }

    /** The AGENTS.md section: its text, and a note when it was cut. */
    public static String agents(AgentsFile file) {
        StringBuilder sb = new StringBuilder("Workspace instructions (")
                .append(file.path()).append("):\n").append(file.text().stripTrailing());
        if (file.truncated()) {
            sb.append("\n[").append(file.path()).append(" truncated: ")
                    .append(file.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                    .append(" of ").append(file.size())
                    .append(" bytes shown; read the file for the rest]");
        }
        return sb.toString();
    }

    private static String counts(List<ArtifactChange> changes, int from) {
        int[] n = new int[ArtifactChange.Status.values().length];
        for (int i = from; i < changes.size(); i++) {
            n[changes.get(i).status().ordinal()]++;
        }
        StringBuilder sb = new StringBuilder();
        for (ArtifactChange.Status s : ArtifactChange.Status.values()) {
            if (n[s.ordinal()] > 0) {
                sb.append(sb.length() == 0 ? ": " : ", ").append(n[s.ordinal()]).append(' ').append(s.label());
            }
        }
        return sb.toString();
    }

    private static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
