package dev.loopwire.providers.process.internal;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.ProcessTracker;
import dev.loopwire.providers.process.ProcessTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteResultHandler;
import org.apache.commons.exec.ExecuteStreamHandler;
import org.apache.commons.exec.ProcessDestroyer;

/**
 * One child process started with commons-exec: exact argv (no shell quoting), working
 * directory, exact environment, optional stdin bytes, stdout and stderr delivered as text to
 * handlers on reader threads, the start and end reported to a {@link ProcessTracker}, and a
 * tree kill (TERM, then KILL) for timeouts and cancellation.
 */
public final class ManagedProcess {

    /** Receives a stream's decoded text, on a reader thread. */
    public interface OutputHandler {
        void onText(char[] buf, int off, int len);

        /** The stream ended (EOF or error). */
        default void onEnd() {
        }
    }

    /**
     * What to start.
     *
     * @param argv        program and arguments, passed as they are
     * @param workingDir  the directory to run in
     * @param environment the complete environment of the child, or null to inherit the server's
     * @param stdin       bytes written to the child's stdin before it is closed, or null
     * @param stdout      receives stdout
     * @param stderr      receives stderr
     * @param tracker     told about the start and the end of the process
     * @param description what the tracker records as the command (must be free of secrets)
     * @param killGrace   time between TERM and KILL
     */
    public record Launch(
            List<String> argv,
            Path workingDir,
            Map<String, String> environment,
            byte[] stdin,
            OutputHandler stdout,
            OutputHandler stderr,
            ProcessTracker tracker,
            String description,
            Duration killGrace) {
    }

    /**
     * How the wait ended.
     *
     * @param exitCode the exit code, or -1 when the tree was killed
     */
    public record Outcome(int exitCode, boolean timedOut, boolean cancelled) {
    }

    /** How long to wait for stdout and stderr to reach EOF after the process exited. */
    private static final long DRAIN_MILLIS = 2000;

    /**
     * The longest grace between TERM and KILL when the run is cancelled or interrupted (a timeout
     * keeps the full grace): a cancel must end within a second with nothing left running, also
     * when a child ignores TERM (bench/cancel).
     */
    public static final Duration CANCEL_GRACE = Duration.ofMillis(500);

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadFactory DAEMONS = r -> {
        Thread t = new Thread(r, "loopwire-process-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    };

    private final Process process;
    private final long startEpochMillis;
    private final CompletableFuture<Integer> exit;
    private final Duration killGrace;
    private final AtomicBoolean killed = new AtomicBoolean();

    private ManagedProcess(Process process, CompletableFuture<Integer> exit, Duration killGrace) {
        this.process = process;
        this.exit = exit;
        this.killGrace = killGrace;
        long start = ProcessTrees.startEpochMillis(process.toHandle());
        this.startEpochMillis = start < 0 ? System.currentTimeMillis() : start;
    }

    /**
     * Starts the process.
     *
     * @throws IOException when it cannot be started (missing program, missing directory...)
     */
    public static ManagedProcess start(Launch launch) throws IOException, InterruptedException {
        CommandLine commandLine = new CommandLine(launch.argv().get(0));
        for (String arg : launch.argv().subList(1, launch.argv().size())) {
            commandLine.addArgument(arg, false);
        }
        Streams streams = new Streams(launch.stdin(), launch.stdout(), launch.stderr());
        CompletableFuture<Process> started = new CompletableFuture<>();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        ProcessTracker tracker = launch.tracker() == null ? ProcessTracker.NONE : launch.tracker();
        DefaultExecutor executor = DefaultExecutor.builder()
                .setWorkingDirectory(launch.workingDir())
                .setExecuteStreamHandler(streams)
                .setThreadFactory(DAEMONS)
                .get();
        executor.setExitValues(null);
        executor.setProcessDestroyer(new Recorder(started, tracker, launch.description()));
        executor.execute(commandLine, launch.environment(), new ExecuteResultHandler() {
            @Override
            public void onProcessComplete(int exitValue) {
                exit.complete(exitValue);
            }

            @Override
            public void onProcessFailed(ExecuteException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                started.completeExceptionally(cause);
                exit.completeExceptionally(cause);
            }
        });
        Process process;
        try {
            process = started.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IOException("the process did not start within 30 s");
        } catch (InterruptedException e) {
            // Interrupted while commons-exec was still handing the process over: the process may
            // already run (and start children). Kill it before reporting the interrupt, so that the
            // caller never sees InterruptedException with a tree still alive; only when the hand-over
            // itself hangs does the kill go on in the background.
            Duration grace = launch.killGrace();
            try {
                Process p = started.get(5, TimeUnit.SECONDS);
                ProcessTrees.killTree(p.toHandle(), grace);
            } catch (ExecutionException failedToStart) {
                // nothing runs
            } catch (TimeoutException | InterruptedException again) {
                started.thenAccept(p -> ProcessTrees.killTree(p.toHandle(), grace));
            }
            throw e;
        }
        return new ManagedProcess(process, exit, launch.killGrace());
    }

    public long pid() {
        return process.pid();
    }

    public long startEpochMillis() {
        return startEpochMillis;
    }

    /** Completes with the exit code once the process exited and its output was read. */
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    /** True once {@link #killTree()} ran. */
    public boolean killed() {
        return killed.get();
    }

    /**
     * Kills the process and all its descendants (TERM, then KILL after the grace period) and
     * waits briefly for the output to drain. Idempotent; never throws.
     */
    public void killTree() {
        killTree(killGrace);
    }

    /** {@link #killTree()} for a cancel or an interrupt: at most {@link #CANCEL_GRACE} between TERM and KILL. */
    public void killTreeCancelled() {
        killTree(killGrace.compareTo(CANCEL_GRACE) < 0 ? killGrace : CANCEL_GRACE);
    }

    private void killTree(Duration grace) {
        if (killed.compareAndSet(false, true)) {
            if (process.isAlive()) {
                ProcessTrees.killTree(process.toHandle(), grace);
            }
        }
        try {
            exit.get(DRAIN_MILLIS + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the exit is recorded as killed either way
        }
    }

    /**
     * Waits until the process exits, {@code timeout} passes (null: no limit) or {@code cancel}
     * fires. On timeout and cancel the whole tree is killed first.
     *
     * @throws InterruptedException when interrupted (the tree is killed first)
     */
    public Outcome await(Duration timeout, Cancellation cancel) throws InterruptedException {
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        AutoCloseable registration = cancel.onCancel(() -> cancelled.complete(null));
        try {
            CompletableFuture<Object> first = CompletableFuture.anyOf(exit, cancelled);
            if (timeout == null) {
                first.get();
            } else {
                first.get(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            killTree();
            return new Outcome(-1, true, false);
        } catch (InterruptedException e) {
            killTreeCancelled();
            throw e;
        } catch (ExecutionException e) {
            // the exit future failed: reported below
        } finally {
            closeQuietly(registration);
        }
        if (!exit.isDone()) {
            killTreeCancelled();
            return new Outcome(-1, false, true);
        }
        try {
            return new Outcome(exit.get(), false, false);
        } catch (ExecutionException e) {
            return new Outcome(-1, false, false);
        }
    }

    /** Closes a cancel registration, ignoring what it throws. */
    public static void closeQuietly(AutoCloseable registration) {
        try {
            registration.close();
        } catch (Exception e) {
            // nothing to do: the hook only completes a future
        }
    }

    /** Records the process as commons-exec hands it over, and tells the tracker. */
    private static final class Recorder implements ProcessDestroyer {
        private final CompletableFuture<Process> started;
        private final ProcessTracker tracker;
        private final String description;

        Recorder(CompletableFuture<Process> started, ProcessTracker tracker, String description) {
            this.started = started;
            this.tracker = tracker;
            this.description = description;
        }

        @Override
        public boolean add(Process process) {
            long start = ProcessTrees.startEpochMillis(process.toHandle());
            tracker.started(process.pid(), start < 0 ? System.currentTimeMillis() : start, description);
            started.complete(process);
            return true;
        }

        @Override
        public boolean remove(Process process) {
            tracker.ended(process.pid());
            return true;
        }

        @Override
        public int size() {
            return started.isDone() ? 1 : 0;
        }
    }

    /** Feeds stdin and reads stdout and stderr on daemon threads; stop waits for EOF, bounded. */
    private static final class Streams implements ExecuteStreamHandler {
        private final byte[] stdin;
        private final OutputHandler out;
        private final OutputHandler err;
        private OutputStream toChild;
        private InputStream fromChild;
        private InputStream errFromChild;
        private Thread outReader;
        private Thread errReader;

        Streams(byte[] stdin, OutputHandler out, OutputHandler err) {
            this.stdin = stdin;
            this.out = out;
            this.err = err;
        }

        @Override
        public void setProcessInputStream(OutputStream os) {
            this.toChild = os;
        }

        @Override
        public void setProcessOutputStream(InputStream is) {
            this.fromChild = is;
        }

        @Override
        public void setProcessErrorStream(InputStream is) {
            this.errFromChild = is;
        }

        @Override
        public void start() throws IOException {
            outReader = reader(fromChild, out);
            errReader = reader(errFromChild, err);
            if (stdin == null || stdin.length == 0) {
                toChild.close();
            } else {
                DAEMONS.newThread(() -> {
                    try (OutputStream os = toChild) {
                        os.write(stdin);
                    } catch (IOException e) {
                        // the child closed its stdin or died: nothing more to write
                    }
                }).start();
            }
        }

        @Override
        public void stop() {
            long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
            try {
                outReader.join(Math.max(1, deadline - System.currentTimeMillis()));
                errReader.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static Thread reader(InputStream in, OutputHandler handler) {
            Thread t = DAEMONS.newThread(() -> {
                char[] buf = new char[8192];
                try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                    int n;
                    while ((n = r.read(buf)) >= 0) {
                        if (n > 0 && handler != null) {
                            handler.onText(buf, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // stream closed: treat as EOF
                } finally {
                    if (handler != null) {
                        handler.onEnd();
                    }
                }
            });
            t.start();
            return t;
        }
    }
}
