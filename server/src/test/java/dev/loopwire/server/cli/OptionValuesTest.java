package dev.loopwire.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(20)
class OptionValuesTest {

    @Test
    void scalarsKeepTheirTypes() {
        assertEquals(true, OptionValues.parse("true"));
        assertEquals(42L, OptionValues.parse("42"));
        assertEquals(-1.5, OptionValues.parse("-1.5"));
        assertEquals("http://127.0.0.1:8000/v1", OptionValues.parse("http://127.0.0.1:8000/v1"));
        assertEquals("gpt-4o", OptionValues.parse("gpt-4o"));
    }

    @Test
    void listsAndObjectsAreReadAsJson() {
        assertEquals(List.of("llm", "-m", "gpt-4o-mini", "{prompt}"),
                OptionValues.parse("[\"llm\",\"-m\",\"gpt-4o-mini\",\"{prompt}\"]"));
        assertEquals(Map.of("my-model", Map.of("input", 3L, "output", 12.5)),
                OptionValues.parse("{\"my-model\": {\"input\": 3, \"output\": 12.5}}"));
        assertEquals(Map.of("options", Map.of("num_ctx", 32768L)),
                OptionValues.parse("  {\"options\":{\"num_ctx\":32768}} "));
        assertEquals(List.of(), OptionValues.parse("[]"));
    }

    @Test
    void invalidJsonIsAUsageErrorThatSaysWhereAndHowToQuote() {
        for (String bad : List.of("[llm, -m]", "{\"a\": 1", "[\"a\"] trailing", "{'a': 1}", "[\"a\",]")) {
            CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                    () -> OptionValues.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--option value " + bad + " starts with " + bad.charAt(0)
                    + " but is not valid JSON at column "), e.getMessage());
            assertTrue(e.getMessage().contains("quote the whole option for the shell"), e.getMessage());
            assertEquals("run", e.getCommandLine().getCommandName());
        }
        CommandLine.ParameterException secret = assertThrows(CommandLine.ParameterException.class,
                () -> OptionValues.parse("{\"key\": sk-proj-abcdefghijklmnop1234567890}"));
        assertFalse(secret.getMessage().contains("abcdefghijklmnop"), secret.getMessage());
    }

    @Test
    void theCliExitsWithTheUsageCodeAndChangesNothing(@TempDir Path ws) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = Cli.execute("run", "--workspace", ws.toString(), "--provider", "command",
                    "--option", "argv=[llm, {prompt}]", "say hello");
        } finally {
            System.setErr(old);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCodes.USAGE, code, text);
        assertTrue(text.startsWith("loopwire: --option value [llm, {prompt}] starts with [ but is not valid JSON"), text);
        assertTrue(text.contains("Usage: loopwire run"), text);
        try (var files = Files.list(ws)) {
            assertEquals(List.of(), files.toList(), "no loop was created");
        }
    }
}
