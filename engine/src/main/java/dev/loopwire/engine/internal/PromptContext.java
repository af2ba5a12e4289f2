package dev.loopwire.engine.internal;

import dev.loopwire.engine.context.AgentsFile;
import dev.loopwire.engine.context.PromptSections;
import dev.loopwire.engine.context.Skills;
import dev.loopwire.engine.internal.stop.PolicyState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The workspace context of one prompt: {@code AGENTS.md}, the local skills (first 50, then a
 * count), the artifacts new, modified or deleted during the last iteration (measured at its end,
 * first 50, then a count), and why the last done claim was rejected (check output tail, judge).
 *
 * @param workspace the sections, in that order, without empty ones
 * @param rejection the rejection text, or null
 */
record PromptContext(List<String> workspace, String rejection) {

    static final PromptContext NONE = new PromptContext(List.of(), null);

    /** Reads AGENTS.md and the skills (file I/O: call without the loop's lock). */
    static List<String> readWorkspace(Path workspace) {
        List<String> sections = new ArrayList<>();
        try {
            String agents = PromptSections.agents(AgentsFile.read(workspace));
            if (!agents.isEmpty()) {
                sections.add(agents);
            }
        } catch (IOException e) {
            sections.add("Workspace instructions (AGENTS.md): cannot be read (" + e.getMessage() + ").");
        }
        try {
            sections.add(PromptSections.skills(Skills.find(workspace)));
        } catch (IOException e) {
            sections.add("Local skills: cannot be listed (" + e.getMessage() + ").");
        }
        return sections;
    }

    /** Adds what the policies measured at the end of the last iteration (lock held). */
    static PromptContext of(List<String> workspaceSections, PolicyState policy) {
        List<String> all = new ArrayList<>(workspaceSections);
        if (policy.artifactsSection != null) {
            all.add(policy.artifactsSection);
        }
        return new PromptContext(List.copyOf(all), policy.rejectedClaim);
    }
}
