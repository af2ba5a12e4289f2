package dev.loopwire.engine.tools;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.ProcessTracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared helpers for the tool tests: a context on a temporary workspace, calls by tool name. */
final class ToolTestSupport {

    final Workspace workspace;
    final RecordingMemoryNotes memory = new RecordingMemoryNotes();
    final ProcessBuilderTestCommandRunner commands = new ProcessBuilderTestCommandRunner();
    final Map<String, String> environment = new LinkedHashMap<>();
    Cancellation cancel = Cancellation.NONE;
    ProcessTracker processes = ProcessTracker.NONE;

    ToolTestSupport(Path root) {
        try {
            this.workspace = new Workspace(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    ToolContext context() {
        return new ToolContext(workspace, memory, commands, processes, environment, cancel, line -> { });
    }

    static Tool tool(String name) {
        return BuiltinTools.find(name).orElseThrow(() -> new AssertionError("no tool " + name));
    }

    /** Calls a tool by name (validation included, as execute does it too). */
    ToolResult call(String name, Object... keyValues) throws InterruptedException {
        return tool(name).execute(input(keyValues), context());
    }

    ToolResult ok(String name, Object... keyValues) throws InterruptedException {
        ToolResult result = call(name, keyValues);
        assertTrue(result.ok(), () -> name + " failed: " + result.output());
        return result;
    }

    ToolResult error(String name, Object... keyValues) throws InterruptedException {
        ToolResult result = call(name, keyValues);
        assertFalse(result.ok(), () -> name + " should have failed but said: " + result.output());
        return result;
    }

    static Map<String, Object> input(Object... keyValues) {
        Map<String, Object> input = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            input.put((String) keyValues[i], keyValues[i + 1]);
        }
        return input;
    }

    static void assertContains(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), () -> "expected '" + part + "' in:\n" + text);
        }
    }

    static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }
}
