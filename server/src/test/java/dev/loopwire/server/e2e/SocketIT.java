package dev.loopwire.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApprovalResolvedParams;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.InitializeParams;
import dev.loopwire.protocol.InitializedParams;
import dev.loopwire.protocol.ListLoopsParams;
import dev.loopwire.protocol.services.LoopwireServer;
import dev.loopwire.server.internal.RpcLauncher;
import dev.loopwire.server.internal.UnixSockets;
import dev.loopwire.server.testing.RecordingClient;
import dev.loopwire.server.testing.ServerProcess;
import java.io.BufferedInputStream;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A second client reaches the running server over the workspace socket and shares its loops. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SocketIT {

    @TempDir
    Path dir;

    @Test
    void secondClientSeesTheLoopAndAnswersItsApproval() throws Exception {
        Path ws = ServerProcess.copyTree(ServerProcess.repo().resolve("examples/hello"), dir.resolve("hello"));
        try (ServerProcess p = ServerProcess.start(dir)) {
            p.initialize(null, ws);
            String id = p.server.getLoopService().start(Loops.scripted(ws, "hello", "turns.json", "ask", true))
                    .get(60, TimeUnit.SECONDS).loopId();
            String approvalId = p.client.awaitNext(ApprovalRequestedParams.class, a -> true).approval().approvalId();

            Path socket = UnixSockets.socketPath(ws);
            assertTrue(Files.exists(socket));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            RecordingClient second = new RecordingClient();
            try (SocketChannel channel = UnixSockets.connect(socket)) {
                Launcher<LoopwireServer> launcher = RpcLauncher.create(second, LoopwireServer.class,
                        new BufferedInputStream(UnixSockets.in(channel)), UnixSockets.out(channel), null);
                launcher.startListening();
                LoopwireServer remote = launcher.getRemoteProxy();
                remote.initialize(new InitializeParams(1, null, null, List.of(ws.toString()))).get(60, TimeUnit.SECONDS);
                remote.initialized(new InitializedParams());
                assertEquals(approvalId, second.awaitNext(ApprovalRequestedParams.class, a -> true).approval().approvalId());
                assertTrue(remote.getLoopService().list(new ListLoopsParams(ws.toString())).get(60, TimeUnit.SECONDS)
                        .loops().stream().anyMatch(l -> l.loopId().equals(id)));

                remote.getLoopService().approve(new ApproveParams(id, approvalId, "allow_once", null)).get(60, TimeUnit.SECONDS);
                for (RecordingClient c : List.of(p.client, second)) {
                    assertEquals(approvalId, c.awaitNext(ApprovalResolvedParams.class, r -> true).approvalId());
                    c.awaitStatus(id, "succeeded");
                }
                remote.exit(); // ends only this connection
            }
            assertTrue(p.process.isAlive());
            assertEquals("succeeded", p.server.getLoopService().get(new dev.loopwire.protocol.LoopIdParams(id))
                    .get(60, TimeUnit.SECONDS).loop().status());
        }
    }

    @Test
    void cliCommandsReachTheRunningServerOverTheSocket() throws Exception {
        Path ws = ServerProcess.copyTree(ServerProcess.repo().resolve("examples/hello"), dir.resolve("hello"));
        try (ServerProcess p = ServerProcess.start(dir)) {
            p.initialize(null, ws);
            String id = p.server.getLoopService().start(Loops.scripted(ws, "hello", "turns.json", "ask", true))
                    .get(60, TimeUnit.SECONDS).loopId();
            String approvalId = p.client.awaitNext(ApprovalRequestedParams.class, a -> true).approval().approvalId();

            Process approve = new ProcessBuilder(ServerProcess.repo().resolve("bin/loopwire").toString(),
                    "approve", id, approvalId, "--workspace", ws.toString())
                    .redirectInput(new java.io.File("/dev/null"))
                    .redirectErrorStream(true)
                    .start();
            approve.getOutputStream().close();
            String out = new String(approve.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(approve.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, approve.exitValue(), out);
            assertTrue(out.contains("[succeeded]"), out);
            // the running server carried out the decision: its own client saw it
            assertEquals("allow_once", p.client.awaitNext(ApprovalResolvedParams.class, r -> true).decision());
            p.client.awaitStatus(id, "succeeded");
        }
    }
}
