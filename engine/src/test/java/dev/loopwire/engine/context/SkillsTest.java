package dev.loopwire.engine.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class SkillsTest {

    @TempDir
    Path root;

    private void write(String path, String content) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void findsSkillsInBothPlacesWithFrontMatter() throws Exception {
        write("skills/pdf/SKILL.md", "---\nname: pdf-tables\ndescription: Extract tables from PDF files.\n---\n# body");
        write("skills/group/plot/SKILL.md", "---\nname: \"plot\"\ndescription: >\n  Plot results\n  as PNG.\nother: x\n---\n");
        write(".loopwire/skills/local/SKILL.md", "# no front matter\nname: not-this\n");
        write("skills/quoted/SKILL.md", "---\nname: 'it''s'\ndescription: \"say \\\"hi\\\"\"\n---\n");
        write("skills/unclosed/SKILL.md", "---\nname: never-closed\n");
        write("skills/notes.md", "not a skill");
        write("elsewhere/SKILL.md", "---\nname: outside\n---\n");
        List<Skill> skills = Skills.find(root);
        assertEquals(List.of(
                new Skill("local", "", ".loopwire/skills/local/SKILL.md"),
                new Skill("plot", "Plot results as PNG.", "skills/group/plot/SKILL.md"),
                new Skill("pdf-tables", "Extract tables from PDF files.", "skills/pdf/SKILL.md"),
                new Skill("it's", "say \"hi\"", "skills/quoted/SKILL.md"),
                new Skill("unclosed", "", "skills/unclosed/SKILL.md")), skills);
    }

    @Test
    void noSkillsIsAnEmptyListAndASentence() throws Exception {
        assertEquals(List.of(), Skills.find(root));
        write("skills/readme.txt", "x");
        assertEquals(List.of(), Skills.find(root));
        assertEquals("Local skills: none (no SKILL.md under skills/ or .loopwire/skills/).",
                PromptSections.skills(List.of()));
    }

    @Test
    void longDescriptionsAreCut() throws Exception {
        write("skills/long/SKILL.md", "---\ndescription: " + "word ".repeat(100) + "\n---\n");
        Skill s = Skills.find(root).get(0);
        assertEquals(Skills.MAX_DESCRIPTION_CHARS, s.description().length());
        assertTrue(s.description().endsWith("…"));
    }

    @Test
    void symlinkLoopsAndGitDirectoriesAreSkipped() throws Exception {
        write("skills/a/SKILL.md", "---\nname: a\n---\n");
        write("skills/.git/x/SKILL.md", "---\nname: hidden\n---\n");
        Files.createSymbolicLink(root.resolve("skills/a/loop"), root.resolve("skills"));
        List<String> names = Skills.find(root).stream().map(Skill::name).collect(Collectors.toList());
        assertTrue(names.contains("a"), names.toString());
        assertTrue(!names.contains("hidden"), names.toString());
    }

    @Test
    void renderingListsFiftyThenACount() throws Exception {
        for (int i = 0; i < 57; i++) {
            write(String.format("skills/s%02d/SKILL.md", i), "---\nname: s" + i + "\ndescription: does " + i + "\n---\n");
        }
        List<Skill> skills = Skills.find(root);
        assertEquals(57, skills.size());
        List<String> lines = PromptSections.skills(skills).lines().collect(Collectors.toList());
        assertEquals("Local skills (57; read a skill's SKILL.md before using it):", lines.get(0));
        assertEquals("- s0: does 0 (skills/s00/SKILL.md)", lines.get(1));
        assertEquals(52, lines.size());
        assertEquals("- ... 7 more skill(s)", lines.get(51));
    }
}
