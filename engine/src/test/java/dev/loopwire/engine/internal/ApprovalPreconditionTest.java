package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.ScriptedTestProvider.call;
import static dev.loopwire.engine.internal.ScriptedTestProvider.text;
import static dev.loopwire.engine.internal.ScriptedTestProvider.tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.LoopException;
import dev.loopwire.engine.spi.ToolSpec;
import dev.loopwire.engine.tools.Tool;
import dev.loopwire.engine.tools.ToolContext;
import dev.loopwire.engine.tools.ToolResult;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.ErrorCode;
import dev.loopwire.protocol.LoopSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An answer given after the files the action touches changed is not applied: the action is asked again. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ApprovalPreconditionTest {

    @TempDir
    Path temp;

    /** Test double: appends a line to a workspace file, always asks, reports the file as touched. */
    static final class AppendingTestTool implements Tool {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public ToolSpec spec() {
            return new ToolSpec("append_line", "appends a line", Map.of("type", "object",
                    "properties", Map.of("path", Map.of("type", "string")), "required", List.of("path")));
        }

        @Override
        public List<String> validate(Map<String, Object> input) {
            return input.get("path") instanceof String ? List.of() : List.of("path: expected a string");
        }

        @Override
        public String subject(Map<String, Object> input) {
            return (String) input.get("path");
        }

        @Override
        public boolean asksByDefault(Map<String, Object> input) {
            return true;
        }

        @Override
        public List<String> touchedPaths(Map<String, Object> input) {
            return List.of((String) input.get("path"));
        }

        @Override
        public ToolResult execute(Map<String, Object> input, ToolContext context) {
            runs.incrementAndGet();
            try {
                Path file = context.workspace().root().resolve((String) input.get("path"));
                Files.writeString(file, Files.readString(file) + "appended\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return ToolResult.ok("appended");
        }
    }

    @Test
    void aFileChangedBetweenQuestionAndAnswerSupersedesTheApproval() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        Path notes = fx.workspace.resolve("notes.txt");
        Files.writeString(notes, "v1\n");
        AppendingTestTool tool = new AppendingTestTool();
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                tools("append", call("a1", "append_line", Map.of("path", "notes.txt"))), text("ok\n<promise>DONE</promise>")));
        try (DefaultLoopEngine engine = new DefaultLoopEngine(
                fx.options(new TestProviderRegistry().with("scripted", provider)), List.of(tool), StoreObserver.NONE)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String loopId = engine.start(fx.params("premise")).loopId();
            String first = events.awaitApproval();
            events.assertNextStatus("awaiting_approval");

            Files.writeString(notes, "v2: someone else edited this file\n");
            LoopSnapshot after = engine.approve(new ApproveParams(loopId, first, "allow_once", null));
            assertEquals("awaiting_approval", after.status());
            String second = after.pendingApproval().approvalId();
            assertNotEquals(first, second);
            assertTrue(after.pendingApproval().reason().contains("notes.txt"), after.pendingApproval().reason());
            events.assertNextApprovalResolved(first, "superseded");
            assertEquals(second, events.assertNextApprovalRequested("append_line").approval().approvalId());
            assertEquals(0, tool.runs.get(), "nothing ran on the stale premise");
            assertEquals("v2: someone else edited this file\n", Files.readString(notes));

            LoopException stale = assertThrows(LoopException.class,
                    () -> engine.approve(new ApproveParams(loopId, first, "allow_once", null)));
            assertEquals(ErrorCode.STALE_APPROVAL, stale.code());

            // unchanged since the new question: the answer applies
            engine.approve(new ApproveParams(loopId, second, "allow_once", null));
            events.awaitStatus("succeeded");
            assertEquals(1, tool.runs.get());
            assertEquals("v2: someone else edited this file\nappended\n", Files.readString(notes));
            String journal = Files.readString(fx.workspace.resolve(".loopwire/loops").resolve(loopId).resolve("journal.jsonl"));
            assertTrue(journal.contains("\"decision\":\"superseded\""), journal);
        }
    }
}
