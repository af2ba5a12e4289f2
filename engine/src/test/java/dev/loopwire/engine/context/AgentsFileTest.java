package dev.loopwire.engine.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class AgentsFileTest {

    @TempDir
    Path root;
    @TempDir
    Path outside;

    @Test
    void absentFileGivesNoSection() throws Exception {
        assertEquals(Optional.empty(), AgentsFile.read(root));
        assertEquals("", PromptSections.agents(AgentsFile.read(root)));
    }

    @Test
    void smallFileIsShownWhole() throws Exception {
        Files.writeString(root.resolve("AGENTS.md"), "Run `make test` before claiming done.\n");
        AgentsFile f = AgentsFile.read(root).orElseThrow();
        assertFalse(f.truncated());
        assertEquals("Workspace instructions (AGENTS.md):\nRun `make test` before claiming done.",
                PromptSections.agents(f));
    }

    @Test
    void largeFileIsCutAtALineWithANote() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            sb.append("line ").append(i).append(" é\n"); // multi-byte characters near the cut
        }
        Files.writeString(root.resolve("AGENTS.md"), sb);
        long size = Files.size(root.resolve("AGENTS.md"));
        AgentsFile f = AgentsFile.read(root, 300).orElseThrow();
        assertTrue(f.truncated());
        assertEquals(size, f.size());
        assertTrue(f.text().endsWith("\n"));
        assertTrue(f.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 300);
        assertFalse(f.text().contains("\uFFFD"));
        String section = PromptSections.agents(f);
        assertTrue(section.endsWith("bytes shown; read the file for the rest]"), section);
        assertTrue(section.contains(" of " + size + " bytes"), section);
        assertThrows(IllegalArgumentException.class, () -> AgentsFile.read(root, 0));
    }

    @Test
    void editsBetweenIterationsAreSeen() throws Exception {
        Files.writeString(root.resolve("AGENTS.md"), "v1");
        assertEquals("v1", AgentsFile.read(root).orElseThrow().text());
        Files.writeString(root.resolve("AGENTS.md"), "v2 from a person");
        assertEquals("v2 from a person", AgentsFile.read(root).orElseThrow().text());
    }

    @Test
    void linkPointingOutsideTheWorkspaceIsNotRead() throws Exception {
        Files.writeString(outside.resolve("secret.md"), "not for the prompt");
        Files.createSymbolicLink(root.resolve("AGENTS.md"), outside.resolve("secret.md"));
        assertEquals(Optional.empty(), AgentsFile.read(root));
    }
}
