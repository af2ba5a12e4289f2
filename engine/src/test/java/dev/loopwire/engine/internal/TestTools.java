package dev.loopwire.engine.internal;

import dev.loopwire.engine.spi.ToolSpec;
import dev.loopwire.engine.tools.Tool;
import dev.loopwire.engine.tools.ToolContext;
import dev.loopwire.engine.tools.ToolResult;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Test-double tools with the behaviours the engine must handle. */
final class TestTools {

    private TestTools() {
    }

    /** {@code echo {text}}: never asks; returns the text. */
    static final class EchoTool implements Tool {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public ToolSpec spec() {
            return new ToolSpec("echo", "returns its text", Map.of("type", "object",
                    "properties", Map.of("text", Map.of("type", "string")), "required", List.of("text")));
        }

        @Override
        public List<String> validate(Map<String, Object> input) {
            return input.get("text") instanceof String ? List.of() : List.of("text: expected a string");
        }

        @Override
        public String subject(Map<String, Object> input) {
            return (String) input.get("text");
        }

        @Override
        public boolean asksByDefault(Map<String, Object> input) {
            return false;
        }

        @Override
        public ToolResult execute(Map<String, Object> input, ToolContext context) {
            runs.incrementAndGet();
            return ToolResult.ok("echo: " + input.get("text"));
        }
    }

    /** {@code guarded {cmd}}: asks by default (like run_command); counts its runs. */
    static final class GuardedTool implements Tool {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public ToolSpec spec() {
            return new ToolSpec("guarded", "a command that needs approval", Map.of("type", "object",
                    "properties", Map.of("cmd", Map.of("type", "string")), "required", List.of("cmd")));
        }

        @Override
        public List<String> validate(Map<String, Object> input) {
            return input.get("cmd") instanceof String ? List.of() : List.of("cmd: expected a string");
        }

        @Override
        public String subject(Map<String, Object> input) {
            return (String) input.get("cmd");
        }

        @Override
        public boolean asksByDefault(Map<String, Object> input) {
            return true;
        }

        @Override
        public ToolResult execute(Map<String, Object> input, ToolContext context) {
            runs.incrementAndGet();
            return ToolResult.ok("ran " + input.get("cmd"));
        }
    }

    /** {@code wait {}}: blocks until the loop is cancelled (or interrupted). */
    static final class BlockingTool implements Tool {
        final CountDownLatch started = new CountDownLatch(1);

        @Override
        public ToolSpec spec() {
            return new ToolSpec("wait", "blocks until cancelled", Map.of("type", "object"));
        }

        @Override
        public List<String> validate(Map<String, Object> input) {
            return List.of();
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
        public ToolResult execute(Map<String, Object> input, ToolContext context) throws InterruptedException {
            CountDownLatch cancelled = new CountDownLatch(1);
            try (AutoCloseable hook = context.cancel().onCancel(cancelled::countDown)) {
                started.countDown();
                cancelled.await();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return ToolResult.error("cancelled");
        }
    }

    /** {@code note {text}}: appends to the memory notes through the context. */
    static final class NoteTool implements Tool {
        @Override
        public ToolSpec spec() {
            return new ToolSpec("note", "appends a note", Map.of("type", "object"));
        }

        @Override
        public List<String> validate(Map<String, Object> input) {
            return input.get("text") instanceof String ? List.of() : List.of("text: expected a string");
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
        public ToolResult execute(Map<String, Object> input, ToolContext context) {
            try {
                context.memory().appendNote((String) input.get("text"));
                return ToolResult.ok("noted");
            } catch (IOException e) {
                return ToolResult.error(e.getMessage());
            }
        }
    }
}
