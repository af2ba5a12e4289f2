package dev.loopwire.server.testing;

import dev.loopwire.protocol.ClientInfo;
import dev.loopwire.protocol.InitializeParams;
import dev.loopwire.protocol.InitializeResult;
import dev.loopwire.protocol.InitializedParams;
import dev.loopwire.protocol.services.LoopwireServer;
import dev.loopwire.server.internal.RpcLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.jsonrpc.Launcher;

/**
 * The real {@code loopwire.jar serve} in a child process, with an lsp4j client (a
 * {@link RecordingClient}) on its stdin/stdout. stderr goes to a file in the test's directory.
 */
public final class ServerProcess implements AutoCloseable {

    public final Process process;
    public final RecordingClient client = new RecordingClient();
    public final LoopwireServer server;
    public final Path stderr;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "it-client");
        t.setDaemon(true);
        return t;
    });

    private ServerProcess(Process process, Path stderr, boolean connect) {
        this.process = process;
        this.stderr = stderr;
        if (connect) {
            Launcher<LoopwireServer> launcher = RpcLauncher.create(client, LoopwireServer.class,
                    process.getInputStream(), process.getOutputStream(), executor);
            launcher.startListening();
            this.server = launcher.getRemoteProxy();
        } else {
            this.server = null;
        }
    }

    /** The jar under test: {@code -Dloopwire.jar}, else {@code server/target/loopwire.jar}. */
    public static Path jar() {
        String p = System.getProperty("loopwire.jar");
        return p != null ? Path.of(p) : Path.of("target", "loopwire.jar").toAbsolutePath();
    }

    /** The repository root: {@code -Dloopwire.repo}, else the parent of the server module. */
    public static Path repo() {
        String p = System.getProperty("loopwire.repo");
        return (p != null ? Path.of(p) : Path.of("..")).toAbsolutePath().normalize();
    }

    public static List<String> javaCommand(String... args) {
        return javaCommand(List.of(), args);
    }

    /** The command running the jar with {@code args}, the JVM given {@code jvmOptions} too ({@code -Xmx}, {@code -D}). */
    public static List<String> javaCommand(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** Starts {@code serve} with an lsp4j client on its stdio. */
    public static ServerProcess start(Path logDir, String... extraArgs) throws IOException {
        return start(logDir, true, extraArgs);
    }

    /** Starts {@code serve}; without {@code connect} the test talks raw bytes to the process. */
    public static ServerProcess start(Path logDir, boolean connect, String... extraArgs) throws IOException {
        return start(logDir, connect, List.of(), Map.of(), extraArgs);
    }

    /** Starts {@code serve} in a JVM given {@code jvmOptions} as well. */
    public static ServerProcess start(Path logDir, boolean connect, List<String> jvmOptions, String... extraArgs)
            throws IOException {
        return start(logDir, connect, jvmOptions, Map.of(), extraArgs);
    }

    /**
     * Starts {@code serve} with {@code environment} laid over this JVM's environment (a
     * {@code null} value removes the variable): planted keys, a {@code HOME} of the test's own.
     */
    public static ServerProcess start(Path logDir, boolean connect, Map<String, String> environment,
            String... extraArgs) throws IOException {
        return start(logDir, connect, List.of(), environment, extraArgs);
    }

    /** Starts {@code serve} with JVM options and an environment laid over this JVM's. */
    public static ServerProcess start(Path logDir, boolean connect, List<String> jvmOptions,
            Map<String, String> environment, String... extraArgs) throws IOException {
        Files.createDirectories(logDir);
        Path err = Files.createTempFile(logDir, "server-", ".stderr");
        List<String> args = new ArrayList<>();
        args.add("serve");
        args.addAll(Arrays.asList(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(javaCommand(jvmOptions, args.toArray(String[]::new)));
        applyEnvironment(pb, environment);
        pb.redirectError(err.toFile());
        pb.directory(logDir.toFile());
        return new ServerProcess(pb.start(), err, connect);
    }

    /** Lays {@code environment} over the process builder's (a {@code null} value removes the variable). */
    public static void applyEnvironment(ProcessBuilder pb, Map<String, String> environment) {
        environment.forEach((name, value) -> {
            if (value == null) {
                pb.environment().remove(name);
            } else {
                pb.environment().put(name, value);
            }
        });
    }

    public InitializeResult initialize(Long processId, Path... workspaces) throws Exception {
        InitializeResult r = server.initialize(new InitializeParams(1, new ClientInfo("it", "1"), processId,
                Arrays.stream(workspaces).map(Path::toString).toList())).get(60, TimeUnit.SECONDS);
        server.initialized(new InitializedParams());
        return r;
    }

    /** SIGKILL: no shutdown hook, no checkpoint. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public String stderrText() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        executor.shutdownNow();
    }

    /** Copies a directory tree (an example) into a test directory. */
    public static Path copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path rel = from.relativize(p);
                String name = rel.toString();
                if (name.startsWith(".loopwire/loops") || name.equals(".loopwire/server.sock") || name.equals("hello.txt")) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

}
