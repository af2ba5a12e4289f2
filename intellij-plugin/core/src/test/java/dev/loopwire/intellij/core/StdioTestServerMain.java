package dev.loopwire.intellij.core;

import dev.loopwire.protocol.LoopwireProtocol;
import dev.loopwire.protocol.services.LoopwireClient;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import org.eclipse.lsp4j.jsonrpc.Launcher;

/**
 * Test double of the server process: a {@link RecordingLoopwireServer} with one loop awaiting an
 * approval, served over this process's stdin/stdout. Used to test the supervisor's crash and
 * restart handling with real processes independently of the real server.
 * Argument: the workspace folder.
 */
public final class StdioTestServerMain {

    private StdioTestServerMain() {
    }

    public static void main(String[] args) throws Exception {
        InputStream in = System.in;
        PrintStream out = System.out;
        System.setOut(System.err);
        RecordingLoopwireServer server = new RecordingLoopwireServer()
                .put(Fixtures.loop("L1", args[0], "awaiting_approval", Fixtures.approval("A1")), List.of(Fixtures.iteration(1)));
        Launcher<LoopwireClient> launcher = new Launcher.Builder<LoopwireClient>()
                .setLocalService(server).setRemoteInterface(LoopwireClient.class)
                .setInput(in).setOutput(out)
                .configureGson(LoopwireProtocol::configureGson).create();
        System.err.println("stdio test server " + ProcessHandle.current().pid() + " listening");
        launcher.startListening().get();
        System.exit(0);
    }
}
