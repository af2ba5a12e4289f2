package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.ScriptedTestProvider.call;
import static dev.loopwire.engine.internal.ScriptedTestProvider.text;
import static dev.loopwire.engine.internal.ScriptedTestProvider.tools;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.LoopException;
import dev.loopwire.engine.internal.approval.ApprovalBinding;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An approval id is bound to the exact action and to the loop's state version when it was asked. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ApprovalBindingTest {

    @TempDir
    Path temp;

    @Test
    void theDigestCoversToolInputAndStateVersion() {
        String base = ApprovalBinding.actionDigest("run_command", Map.of("command", "make"), 3L);
        assertEquals(base, ApprovalBinding.actionDigest("run_command", Map.of("command", "make"), 3L));
        assertNotEquals(base, ApprovalBinding.actionDigest("run_command", Map.of("command", "make"), 4L));
        assertNotEquals(base, ApprovalBinding.actionDigest("run_command", Map.of("command", "make -j"), 3L));
        assertNotEquals(base, ApprovalBinding.actionDigest("write_file", Map.of("command", "make"), 3L));
    }

    @Test
    void anApprovalAskedAtAnOlderStateVersionIsStaleAndChangesNothing() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                tools("running", call("g1", "guarded", Map.of("cmd", "make"))), text("ok\n<promise>DONE</promise>")));
        String loopId;
        String approvalId;
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            loopId = engine.start(fx.params("bound")).loopId();
            approvalId = events.awaitApproval();
            events.awaitStatus("awaiting_approval");
        }
        Path stateFile = fx.workspace.resolve(".loopwire/loops").resolve(loopId).resolve(LoopDir.STATE_JSON);
        LoopState state = Json.MAPPER.readValue(stateFile.toFile(), LoopState.class);
        assertEquals(state.stateVersion, state.inFlight.approvalStateVersion);
        // the loop moved on after the question (another writer advanced it): the answer no longer applies
        state.stateVersion++;
        Files.write(stateFile, Json.pretty(state));
        byte[] before = Files.readAllBytes(stateFile);
        Path journal = stateFile.resolveSibling(LoopDir.JOURNAL);
        long journalBefore = Files.size(journal);
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            engine.openWorkspace(fx.workspace);
            String id = approvalId;
            String loop = loopId;
            LoopException stale = assertThrows(LoopException.class,
                    () -> engine.approve(new ApproveParams(loop, id, "allow_once", null)));
            assertEquals(ErrorCode.STALE_APPROVAL, stale.code());
            assertTrue(stale.getMessage().contains("state version"), stale.getMessage());
            assertEquals("awaiting_approval", engine.get(loopId).loop().status());
            assertEquals(0, fx.guarded.runs.get());
        }
        assertArrayEquals(before, Files.readAllBytes(stateFile), "state.json unchanged");
        assertEquals(journalBefore, Files.size(journal), "nothing journaled");
    }

    @Test
    void theSameActionAskedAgainLaterGetsADifferentBinding() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                tools("first", call("g1", "guarded", Map.of("cmd", "make"))),
                tools("second", call("g2", "guarded", Map.of("cmd", "make"))),
                text("ok\n<promise>DONE</promise>")));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String loopId = engine.start(fx.params("twice")).loopId();
            Path stateFile = fx.workspace.resolve(".loopwire/loops").resolve(loopId).resolve(LoopDir.STATE_JSON);
            String first = events.awaitApproval();
            LoopState asked1 = Json.MAPPER.readValue(stateFile.toFile(), LoopState.class);
            engine.approve(new ApproveParams(loopId, first, "allow_once", null));
            String second = events.awaitApproval();
            LoopState asked2 = Json.MAPPER.readValue(stateFile.toFile(), LoopState.class);
            assertNotEquals(first, second);
            assertTrue(asked2.inFlight.approvalStateVersion > asked1.inFlight.approvalStateVersion);
            assertNotEquals(asked1.inFlight.approvalDigest, asked2.inFlight.approvalDigest);
            // the first id was used once: answering it again is stale and leaves the second question open
            LoopException used = assertThrows(LoopException.class,
                    () -> engine.approve(new ApproveParams(loopId, first, "allow_once", null)));
            assertEquals(ErrorCode.STALE_APPROVAL, used.code());
            assertEquals(second, engine.get(loopId).loop().pendingApproval().approvalId());
            engine.approve(new ApproveParams(loopId, second, "allow_once", null));
            events.awaitStatus("succeeded");
            assertEquals(2, fx.guarded.runs.get());
        }
    }
}
