package dev.loopwire.intellij.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.ClientInfo;
import dev.loopwire.protocol.Decision;
import dev.loopwire.protocol.InitializeParams;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopwireProtocol;
import dev.loopwire.protocol.PendingApproval;
import dev.loopwire.protocol.services.LoopwireClient;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Client and server in one JVM over piped streams: the connection speaks the protocol module's
 * method names on the wire (requests and the {@code loop/*} notifications).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoopwireConnectionTest {

    @Test
    void initializeNotificationsAndApproveCrossTheWire() throws Exception {
        PipedInputStream serverIn = new PipedInputStream(1 << 16);
        PipedOutputStream clientOut = new PipedOutputStream(serverIn);
        PipedInputStream clientIn = new PipedInputStream(1 << 16);
        PipedOutputStream serverOut = new PipedOutputStream(clientIn);

        RecordingLoopwireServer server = new RecordingLoopwireServer()
                .put(Fixtures.loop("L1", "/tmp/ws", "running", null), List.of());
        Launcher<LoopwireClient> serverSide = new Launcher.Builder<LoopwireClient>()
                .setLocalService(server).setRemoteInterface(LoopwireClient.class)
                .setInput(serverIn).setOutput(serverOut)
                .setExecutorService(Executors.newCachedThreadPool())
                .configureGson(LoopwireProtocol::configureGson).create();
        serverSide.startListening();

        LoopStore store = new LoopStore("/tmp/ws");
        CountDownLatch requested = new CountDownLatch(1);
        store.addListener(new LoopStoreListener() {
            @Override
            public void approvalRequested(String loopId, PendingApproval approval) {
                requested.countDown();
            }
        });
        try (LoopwireConnection conn = LoopwireConnection.open(clientIn, clientOut, store)) {
            conn.initialize(new ClientInfo("test", "1"), List.of("/tmp/ws")).get(10, TimeUnit.SECONDS);
            InitializeParams init = (InitializeParams) server.next("initialize").params();
            assertEquals(LoopwireProtocol.PROTOCOL_VERSION, init.protocolVersion());
            assertEquals(ProcessHandle.current().pid(), init.processId());
            assertEquals("initialized", server.next().method());
            store.attach(conn.server());

            LoopwireClient client = serverSide.getRemoteProxy();
            client.output(new LoopOutputParams("L1", 1, "text", "streamed", null));
            client.approvalRequested(new ApprovalRequestedParams("L1", Fixtures.approval("A1")));
            assertTrue(requested.await(10, TimeUnit.SECONDS));
            assertEquals("streamed", store.view("L1").output().get(0).text());
            assertEquals(120L, store.view("L1").snapshot().pendingApproval().input().get("timeoutSeconds"),
                    "integers in free-form input stay Long (LoopwireProtocol.configureGson)");

            LoopCommands commands = new LoopCommands(conn::server, Executors.newSingleThreadExecutor(), store);
            commands.approve("L1", "A1", Decision.ALLOW_ALWAYS).get(10, TimeUnit.SECONDS);
            assertEquals(new ApproveParams("L1", "A1", "allow_always", null), server.next("loop/approve").params());
        }
    }
}
