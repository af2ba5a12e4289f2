package dev.loopwire.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.loopwire.protocol.ErrorCode;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.LoopIdParams;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.server.testing.PipedServer;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** initialize/shutdown/exit, $/cancelRequest on loop/step, and the fan-out to several clients. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerLifecycleTest {

    @TempDir
    Path workspace;

    @Test
    void cancelRequestCancelsTheEnginesStepAndAnswersRequestCancelled() throws Exception {
        try (RawWire wire = new RawWire()) {
            wire.initialize();
            wire.engine.loops.put("l1", TestLoopEngine.snapshot("l1", null, "created"));
            wire.send("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"loop/step\",\"params\":{\"loopId\":\"l1\"}}");
            CompletableFuture<IterationRecord> iteration = wire.engine.steps.poll(10, TimeUnit.SECONDS);
            CountDownLatch cancelled = new CountDownLatch(1);
            iteration.whenComplete((r, e) -> {
                if (iteration.isCancelled()) {
                    cancelled.countDown();
                }
            });
            wire.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":5}}");
            assertTrue(cancelled.await(10, TimeUnit.SECONDS), "the engine's iteration was not cancelled");
            JsonObject r = wire.read();
            assertEquals(5, r.get("id").getAsInt());
            assertEquals(ErrorCode.REQUEST_CANCELLED.code(), r.getAsJsonObject("error").get("code").getAsInt());
        }
    }

    @Test
    void stepResultArrivesWhenTheEnginesIterationCompletes() throws Exception {
        TestLoopEngine engine = new TestLoopEngine();
        try (PipedServer s = new PipedServer(engine)) {
            s.initialize(workspace);
            String id = PipedServer.await(s.server.getLoopService().start(new StartLoopParams(workspace.toString(), "g",
                    null, null, null, null, null, null, false, null, null, null, null, null, null, null))).loopId();
            CompletableFuture<IterationRecord> step = s.server.getLoopService().step(new LoopIdParams(id));
            CompletableFuture<IterationRecord> iteration = engine.steps.poll(10, TimeUnit.SECONDS);
            assertFalse(step.isDone());
            iteration.complete(new IterationRecord(1, "2026-01-01T00:00:00Z", 0.1, "did it", java.util.List.of(), null, "continue"));
            assertEquals("did it", PipedServer.await(step).summary());
            assertTrue(engine.opened.contains(workspace));
        }
    }

    @Test
    void shutdownCheckpointsAndExitThenExitsZero() throws Exception {
        TestLoopEngine engine = new TestLoopEngine();
        try (PipedServer s = new PipedServer(engine)) {
            s.initialize();
            assertNull(PipedServer.await(s.server.shutdown()));
            assertTrue(engine.checkpointed);
            s.server.exit();
            assertEquals(0, s.exitCode.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void exitWithoutShutdownExitsOne() throws Exception {
        try (PipedServer s = new PipedServer(new TestLoopEngine())) {
            s.initialize();
            s.server.exit();
            assertEquals(1, s.exitCode.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void endOfInputExitsAfterCheckpoint() throws Exception {
        try (RawWire wire = new RawWire()) {
            wire.initialize();
            wire.closeInput();
            assertEquals(1, wire.exitCode.get(10, TimeUnit.SECONDS));
            assertTrue(wire.engine.checkpointed);
        }
    }

    @Test
    void requestsAfterShutdownAreRefused() throws Exception {
        try (RawWire wire = new RawWire()) {
            wire.initialize();
            wire.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"shutdown\"}");
            assertTrue(wire.read().has("result"));
            wire.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"loop/list\",\"params\":{}}");
            assertEquals(ErrorCode.SERVER_NOT_READY.code(), wire.read().getAsJsonObject("error").get("code").getAsInt());
        }
    }

    @Test
    void everyClientReceivesEveryNotificationInOrder() throws Exception {
        TestLoopEngine engine = new TestLoopEngine();
        try (PipedServer first = new PipedServer(engine)) {
            first.initialize();
            // a second, non-primary connection on the same core
            var second = new dev.loopwire.server.testing.RecordingClient();
            PipedOutputStream clientOut = new PipedOutputStream();
            PipedInputStream serverIn = new PipedInputStream(clientOut, 1 << 20);
            PipedOutputStream serverOut = new PipedOutputStream();
            PipedInputStream clientIn = new PipedInputStream(serverOut, 1 << 20);
            Connection c2 = Connection.open(first.core, serverIn, serverOut, false, () -> { });
            Launcher<dev.loopwire.protocol.services.LoopwireServer> l2 = RpcLauncher.create(second,
                    dev.loopwire.protocol.services.LoopwireServer.class, clientIn, clientOut, null);
            l2.startListening();
            PipedServer.await(l2.getRemoteProxy().initialize(new dev.loopwire.protocol.InitializeParams(1, null, null, null)));
            for (int i = 0; i < 200; i++) {
                for (var listener : engine.listeners) {
                    listener.onOutput(new LoopOutputParams("l1", 1, "text", "chunk " + i, null));
                }
            }
            for (var listener : engine.listeners) {
                listener.onStatus(new LoopStatusParams("l1", "succeeded", null, false, null));
            }
            for (var client : java.util.List.of(first.client, second)) {
                for (int i = 0; i < 200; i++) {
                    assertEquals("chunk " + i, client.assertNext(LoopOutputParams.class).text());
                }
                client.assertNextStatus("l1", "succeeded");
                client.assertExhausted();
            }
            // the secondary client's exit ends only its connection
            l2.getRemoteProxy().exit();
            try {
                c2.listening().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.CancellationException closed) {
                // closed by the server
            }
            assertTrue(c2.listening().isDone());
            assertFalse(first.exitCode.isDone());
            assertTrue(PipedServer.await(first.server.getLoopService().list(new dev.loopwire.protocol.ListLoopsParams(null))).loops().isEmpty());
        }
    }
}
