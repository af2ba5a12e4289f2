package dev.loopwire.server.cli;

import dev.loopwire.engine.LoopEngine;
import dev.loopwire.server.LoopwireServerLauncher;
import dev.loopwire.server.internal.EngineFactory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code loopwire serve}: the JSON-RPC server on stdio. stdin/stdout carry the protocol only:
 * {@code System.out} is pointed at stderr and {@code System.in} at an empty stream, so a stray
 * print cannot corrupt the stream. Logs go to stderr or {@code --log-file}.
 */
@Command(name = "serve", description = "Run the JSON-RPC server on stdin/stdout (for editors and scripts).")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--log-file", paramLabel = "FILE", description = "Write logs here instead of stderr.")
    Path logFile;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "SEVERE, WARNING, INFO (default), FINE.")
    String logLevel = "INFO";

    @Option(names = "--no-socket", description = "Do not offer <workspace>/.loopwire/server.sock to other clients.")
    boolean noSocket;

    /**
     * {@code serve} with only its own options, parsed without picocli: editors start the server
     * often and wait for it, and picocli's classes (compiled for Java 5, so the start-up archive
     * cannot hold them) cost a large part of a cold start. Returns null for anything else
     * ({@code --help}, an unknown or incomplete option), which then goes through picocli for its
     * usage text and errors.
     */
    static ServeCommand parseDirect(String[] args) {
        if (args.length == 0 || !"serve".equals(args[0])) {
            return null;
        }
        ServeCommand c = new ServeCommand();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
            switch (name) {
                case "--no-socket" -> {
                    if (value != null) {
                        return null;
                    }
                    c.noSocket = true;
                }
                case "--log-file", "--log-level" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            return null;
                        }
                        value = args[++i];
                    }
                    if (name.equals("--log-file")) {
                        try {
                            c.logFile = Path.of(value);
                        } catch (java.nio.file.InvalidPathException e) {
                            return null; // picocli says what is wrong with it
                        }
                    } else {
                        c.logLevel = value;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return c;
    }

    @Override
    public Integer call() throws Exception {
        InputStream in = new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16);
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        System.setOut(System.err);
        System.setIn(new ByteArrayInputStream(new byte[0]));
        configureLogging();
        return serve(in, out, !noSocket);
    }

    /** Serves one primary client over the streams until it exits; returns the exit code. */
    static int serve(InputStream in, OutputStream out, boolean sockets) {
        // The engine starts on its own thread while lsp4j is set up here; requests wait for it.
        CompletableFuture<LoopEngine> engine = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                engine.complete(EngineFactory.create());
            } catch (Throwable t) {
                java.util.logging.Logger.getLogger(ServeCommand.class.getName())
                        .log(Level.SEVERE, "the engine could not start; every request will fail", t);
                engine.completeExceptionally(t);
            }
        }, "loopwire-engine-start");
        starter.setDaemon(true);
        starter.start();
        try {
            return LoopwireServerLauncher.launch(engine, in, out, sockets).exitCode().join();
        } finally {
            if (!engine.isCompletedExceptionally()) {
                engine.join().close();
            }
        }
    }

    private void configureLogging() throws java.io.IOException {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        Handler handler = logFile != null
                ? new FileHandler(logFile.toAbsolutePath().toString(), true)
                : new StreamHandler(System.err, new SimpleFormatter()) {
                    @Override
                    public synchronized void publish(java.util.logging.LogRecord record) {
                        super.publish(record);
                        flush();
                    }
                };
        handler.setFormatter(new dev.loopwire.server.internal.RedactingLogFormatter());
        Level level = Level.parse(logLevel.toUpperCase(java.util.Locale.ROOT));
        handler.setLevel(level);
        root.setLevel(level);
        root.addHandler(handler);
    }
}
