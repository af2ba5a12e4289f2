package dev.loopwire.engine.tools;

import static dev.loopwire.engine.tools.ToolTestSupport.input;
import static dev.loopwire.engine.tools.ToolTestSupport.tool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Validation messages name the field and what was expected; invalid calls change nothing. */
class ToolValidationTest {

    private static List<String> problems(String tool, Object... keyValues) {
        return tool(tool).validate(input(keyValues));
    }

    private static void assertOneProblem(List<String> problems, String... parts) {
        assertEquals(1, problems.size(), problems.toString());
        for (String part : parts) {
            assertTrue(problems.get(0).contains(part), "expected '" + part + "' in " + problems.get(0));
        }
    }

    @Test
    void validInputHasNoProblems() {
        assertEquals(List.of(), problems("read_file", "path", "a.txt"));
        assertEquals(List.of(), problems("write_file", "path", "a.txt", "content", ""));
        assertEquals(List.of(), problems("edit_file", "path", "a", "oldText", "x", "newText", ""));
        assertEquals(List.of(), problems("list_files"));
        assertEquals(List.of(), problems("search_files", "pattern", "a+"));
        assertEquals(List.of(), problems("run_command", "command", "ls", "timeoutSeconds", 3600));
        assertEquals(List.of(), problems("update_memory", "text", "note"));
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        List<String> problems = problems("edit_file", "path", "a");
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("missing required field 'oldText': expected a non-empty string"));
        assertTrue(problems.get(1).startsWith("missing required field 'newText': expected a string"));
        assertOneProblem(problems("read_file"), "missing required field 'path'", "non-empty string");
    }

    @Test
    void wrongTypesAreNamed() {
        assertOneProblem(problems("read_file", "path", 42), "field 'path': expected a non-empty string, got a number");
        assertOneProblem(problems("write_file", "path", "a", "content", List.of("x")),
                "field 'content': expected a string, got an array");
        assertOneProblem(problems("run_command", "command", "ls", "timeoutSeconds", "60"),
                "field 'timeoutSeconds': expected an integer from 1 to 3600, got a string");
        assertOneProblem(problems("run_command", "command", "ls", "timeoutSeconds", 2.5),
                "field 'timeoutSeconds'", "got a number 2.5");
        assertOneProblem(problems("run_command", "command", true), "field 'command'", "got a boolean");
        assertOneProblem(problems("update_memory", "text", Map.of()), "field 'text'", "got an object");
    }

    @Test
    void rangesAreChecked() {
        assertOneProblem(problems("run_command", "command", "ls", "timeoutSeconds", 0),
                "field 'timeoutSeconds': expected an integer from 1 to 3600, got 0");
        assertOneProblem(problems("run_command", "command", "ls", "timeoutSeconds", 3601L), "got 3601");
        assertOneProblem(problems("run_command", "command", "ls", "timeoutSeconds", new BigDecimal("1e30")),
                "expected an integer from 1 to 3600");
        assertEquals(List.of(), problems("run_command", "command", "ls", "timeoutSeconds", 60.0));
        assertOneProblem(problems("read_file", "path", ""), "field 'path'", "got an empty string");
        assertOneProblem(problems("run_command", "command", " \n"), "field 'command'", "only whitespace");
        assertOneProblem(problems("update_memory", "text", "x".repeat(10_001)),
                "field 'text': expected at most 10000 characters, got 10001");
    }

    @Test
    void unknownFieldsAreNamedWithWhatIsAccepted() {
        assertOneProblem(problems("read_file", "path", "a", "offset", 10),
                "unknown field 'offset': read_file accepts only {path}");
        assertOneProblem(problems("list_files", "recursive", true),
                "unknown field 'recursive': list_files accepts only {path?, glob?}");
    }

    @Test
    void nullInputIsAProblem() {
        assertOneProblem(tool("update_memory").validate(null), "update_memory expects a JSON object with {text}");
    }

    @Test
    @Timeout(10)
    void executeRefusesInvalidInputWithoutChangingAnything(@TempDir Path root) throws Exception {
        ToolTestSupport t = new ToolTestSupport(root);
        ToolResult result = t.call("write_file", "path", "a.txt", "content", 5, "mode", "x");
        assertFalse(result.ok());
        assertTrue(result.output().startsWith("invalid arguments for write_file: "), result.output());
        assertTrue(result.output().contains("field 'content'") && result.output().contains("unknown field 'mode'"));
        assertFalse(Files.exists(root.resolve("a.txt")));
        assertEquals(List.of(), t.commands.specs);
        assertFalse(t.call("run_command", "command", "touch x", "timeoutSeconds", -1).ok());
        assertEquals(List.of(), t.commands.specs);
    }
}
