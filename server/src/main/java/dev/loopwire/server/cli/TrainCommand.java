package dev.loopwire.server.cli;

import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.ClientInfo;
import dev.loopwire.protocol.InitializeParams;
import dev.loopwire.protocol.InitializedParams;
import dev.loopwire.protocol.LoopIdParams;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.services.LoopwireClient;
import dev.loopwire.protocol.services.LoopwireServer;
import dev.loopwire.server.internal.RpcLauncher;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import picocli.CommandLine.Command;

/**
 * A short, representative run used at package time to record the classes for the AppCDS archive
 * ({@code java -XX:ArchiveClassesAtExit=loopwire.jsa -jar loopwire.jar train}): a server over
 * pipes, initialize, one scripted loop to the end, shutdown. It always exits 0: a failed training
 * run only makes the archive smaller.
 */
@Command(name = "train", hidden = true, description = "Exercise the server once (used to build the start-up archive).")
final class TrainCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        Path ws = null;
        try {
            ws = Files.createTempDirectory("loopwire-train");
            Files.writeString(ws.resolve("turns.json"), "{\"turns\": [{\"text\": \"writing\", \"toolCalls\": "
                    + "[{\"name\": \"write_file\", \"input\": {\"path\": \"a.txt\", \"content\": \"a\"}}]},"
                    + " {\"text\": \"done\\n<promise>DONE</promise>\"}]}");
            PipedOutputStream clientOut = new PipedOutputStream();
            PipedInputStream serverIn = new PipedInputStream(clientOut, 1 << 16);
            PipedOutputStream serverOut = new PipedOutputStream();
            PipedInputStream clientIn = new PipedInputStream(serverOut, 1 << 16);
            Thread server = new Thread(() -> ServeCommand.serve(serverIn, serverOut, false), "train-server");
            server.setDaemon(true);
            server.start();
            CountDownLatch ended = new CountDownLatch(1);
            LoopwireClient client = new LoopwireClient() {
                @Override
                public void status(LoopStatusParams params) {
                    if (!params.status().equals("running") && !params.status().equals("created")) {
                        ended.countDown();
                    }
                }
            };
            Launcher<LoopwireServer> launcher = RpcLauncher.create(client, LoopwireServer.class, clientIn, clientOut, null);
            launcher.startListening();
            LoopwireServer remote = launcher.getRemoteProxy();
            remote.initialize(new InitializeParams(1, new ClientInfo("train", "1"), null, List.of(ws.toString())))
                    .get(30, TimeUnit.SECONDS);
            remote.initialized(new InitializedParams());
            String id = remote.getLoopService().start(new StartLoopParams(ws.toString(), "write a.txt", null, null, null,
                    new ProviderSpec("scripted", null, Map.of("script", "turns.json")), null,
                    new ApprovalConfig("auto", null, null, null, null), true, "train", null, null, null, null, null, null))
                    .get(30, TimeUnit.SECONDS).loopId();
            ended.await(30, TimeUnit.SECONDS);
            remote.getLoopService().get(new LoopIdParams(id)).get(30, TimeUnit.SECONDS);
            remote.shutdown().get(30, TimeUnit.SECONDS);
        } catch (Exception | LinkageError e) {
            System.err.println("loopwire train: " + e);
        } finally {
            delete(ws);
        }
        return 0;
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // a temp directory left behind is harmless
        }
    }
}
