package dev.loopwire.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplatesTest {

    @TempDir
    Path temp;

    @Test
    void frontMatterIsParsedWithOneLevelOfNesting() {
        Template t = Templates.parse("---\nname: x\ndescription: \"A loop\"\nbudget:\n  maxIterations: 3\n"
                + "  maxTokens: 100\n---\nBody {{a}}\n", "fallback", "user");
        assertEquals("x", t.name());
        assertEquals("A loop", t.description());
        assertEquals("3", t.get("budget.maxIterations"));
        assertEquals("100", t.get("budget.maxTokens"));
        assertEquals("Body {{a}}\n", t.body());
        assertEquals("Body 1\n", Templates.render(t.body(), Map.of("a", 1)));
        assertEquals("plain", Templates.parse("no front matter", "plain", "user").name());
    }

    @Test
    void workspaceTemplatesShadowUserOnesWhichShadowBuiltins() throws Exception {
        Path ws = Files.createDirectories(temp.resolve("ws"));
        Path user = temp.resolve("user");
        Files.createDirectories(ws.resolve(".loopwire/templates"));
        Files.createDirectories(user.resolve("templates"));
        Files.writeString(ws.resolve(".loopwire/templates/default.md"), "---\ndescription: ws default\n---\nws");
        Files.writeString(user.resolve("templates/default.md"), "---\ndescription: user default\n---\nuser");
        Files.writeString(user.resolve("templates/other.md"), "---\ndescription: other\n---\nother");
        Templates templates = new Templates(user);
        assertEquals("ws default", templates.find("default", ws).orElseThrow().description());
        assertEquals("user default", templates.find("default", null).orElseThrow().description());
        assertEquals("workspace", templates.list(ws).get(0).source());
        assertTrue(templates.list(ws).stream().anyMatch(i -> i.name().equals("other") && i.source().equals("user")));
        assertEquals(6, templates.list(ws).size(), "default, other and the four other built-ins, once each");
        Files.writeString(user.resolve("templates/ralph.md"), "---\ndescription: my ralph\n---\nmine");
        assertEquals("user", templates.find("ralph", ws).orElseThrow().source());
        assertEquals("user", templates.list(ws).stream().filter(i -> i.name().equals("ralph")).findFirst()
                .orElseThrow().source());
        assertEquals("builtin", templates.find("testfix", ws).orElseThrow().source());
        assertTrue(new Templates(null).find("default", null).orElseThrow().body().contains("{{doneToken}}"));
    }
}
