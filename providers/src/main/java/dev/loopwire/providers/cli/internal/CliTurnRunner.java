package dev.loopwire.providers.cli.internal;

import dev.loopwire.engine.tools.Redactor;
import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.ProcessTracker;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.TurnSink;
import dev.loopwire.providers.process.internal.CappedOutput;
import dev.loopwire.providers.process.internal.ManagedProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs one CLI agent turn: starts the process, hands its stdout (as lines or as raw chunks) to a
 * handler on the calling thread, and ends it on exit, timeout, cancel or interrupt. On the last
 * three the whole process tree is killed and the sink's log says so.
 */
public final class CliTurnRunner {

    /** Receives stdout, on the thread that called {@link #run}. */
    public interface OutputHandler {
        void accept(String lineOrChunk) throws ProviderException;
    }

    /**
     * One run.
     *
     * @param name        the program's short name for messages, e.g. {@code claude}
     * @param argv        the program (absolute path) and its arguments
     * @param environment the child's complete environment
     * @param stdin       written to stdin, then closed (null: closed at once)
     * @param description what the process tracker records (no secrets, no prompt)
     * @param lines       true: the handler gets lines without their line ends; false: chunks
     */
    public record Spec(
            String name,
            List<String> argv,
            Path workingDir,
            Map<String, String> environment,
            byte[] stdin,
            ProcessTracker tracker,
            String description,
            Duration timeout,
            Duration killGrace,
            boolean lines,
            Redactor redactor) {
    }

    /**
     * How the process ended.
     *
     * @param stderrTail the end of stderr, secrets removed
     */
    public record Finished(int exitCode, String stderrTail, long pid) {
    }

    private static final Object EOF = new Object();
    private static final Object EXIT = new Object();
    private static final Object CANCEL = new Object();
    private static final int STDERR_CAP = 16_000;
    private static final int STDERR_TAIL = 1_500;
    /** After exit, how long to wait for stdout's end when a leftover child still holds it. */
    private static final long AFTER_EXIT_MILLIS = 1000;

    private CliTurnRunner() {
    }

    public static Finished run(Spec spec, Cancellation cancel, TurnSink sink, OutputHandler handler)
            throws ProviderException, InterruptedException {
        cancel.throwIfCancelled();
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        CappedOutput stderr = new CappedOutput(STDERR_CAP);
        ManagedProcess.OutputHandler stdout = spec.lines() ? new LineSplitter(queue, EOF) : new ManagedProcess.OutputHandler() {
            @Override
            public void onText(char[] buf, int off, int len) {
                queue.add(new String(buf, off, len));
            }

            @Override
            public void onEnd() {
                queue.add(EOF);
            }
        };
        ManagedProcess process;
        try {
            process = ManagedProcess.start(new ManagedProcess.Launch(spec.argv(), spec.workingDir(),
                    spec.environment(), spec.stdin(), stdout, stderr, spec.tracker(), spec.description(),
                    spec.killGrace()));
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Kind.FATAL, "could not start " + spec.name() + " ("
                    + spec.argv().get(0) + ") in " + spec.workingDir() + ": " + spec.redactor().redact(e.getMessage()));
        }
        process.exit().whenComplete((code, error) -> queue.add(EXIT));
        AutoCloseable registration = cancel.onCancel(() -> queue.add(CANCEL));
        long deadline = System.nanoTime() + spec.timeout().toNanos();
        boolean eof = false;
        boolean exited = false;
        try {
            while (!(eof && exited)) {
                long remaining = deadline - System.nanoTime();
                Object item;
                if (exited) {
                    item = queue.poll(Math.min(Math.max(remaining, 0), TimeUnit.MILLISECONDS.toNanos(AFTER_EXIT_MILLIS)),
                            TimeUnit.NANOSECONDS);
                    if (item == null) {
                        break;
                    }
                } else {
                    item = remaining <= 0 ? queue.poll() : queue.poll(remaining, TimeUnit.NANOSECONDS);
                    if (item == null) {
                        process.killTree();
                        sink.log(spec.name() + " timed out after " + spec.timeout().toSeconds()
                                + " s; its process tree (pid " + process.pid() + ") was killed");
                        throw new ProviderException(ProviderException.Kind.TRANSIENT, spec.name()
                                + " did not finish within " + spec.timeout().toSeconds()
                                + " s; its process tree was killed" + tail(stderr, spec.redactor()));
                    }
                }
                if (item == CANCEL) {
                    process.killTreeCancelled();
                    sink.log("cancelled: the " + spec.name() + " process tree (pid " + process.pid() + ") was killed");
                    throw new CancellationException("cancelled");
                } else if (item == EOF) {
                    eof = true;
                } else if (item == EXIT) {
                    exited = true;
                } else {
                    try {
                        handler.accept((String) item);
                    } catch (ProviderException | RuntimeException e) {
                        process.killTree();
                        throw e;
                    }
                }
            }
        } catch (InterruptedException e) {
            process.killTreeCancelled();
            sink.log("interrupted: the " + spec.name() + " process tree (pid " + process.pid() + ") was killed");
            throw e;
        } finally {
            ManagedProcess.closeQuietly(registration);
        }
        int code = process.exit().isCompletedExceptionally() ? -1 : process.exit().getNow(-1);
        return new Finished(code, spec.redactor().redact(stderr.lastChars(STDERR_TAIL)).strip(), process.pid());
    }

    private static String tail(CappedOutput stderr, Redactor redactor) {
        String t = redactor.redact(stderr.lastChars(STDERR_TAIL)).strip();
        return t.isEmpty() ? "" : "; stderr: " + t;
    }

    /** Splits text into lines (without {@code \n} or {@code \r\n}) and queues them. */
    private static final class LineSplitter implements ManagedProcess.OutputHandler {
        private final BlockingQueue<Object> queue;
        private final Object eof;
        private final StringBuilder pending = new StringBuilder();

        LineSplitter(BlockingQueue<Object> queue, Object eof) {
            this.queue = queue;
            this.eof = eof;
        }

        @Override
        public void onText(char[] buf, int off, int len) {
            int start = off;
            int end = off + len;
            for (int i = off; i < end; i++) {
                if (buf[i] == '\n') {
                    pending.append(buf, start, i - start);
                    emit();
                    start = i + 1;
                }
            }
            pending.append(buf, start, end - start);
        }

        @Override
        public void onEnd() {
            if (pending.length() > 0) {
                emit();
            }
            queue.add(eof);
        }

        private void emit() {
            int n = pending.length();
            if (n > 0 && pending.charAt(n - 1) == '\r') {
                pending.setLength(n - 1);
            }
            queue.add(pending.toString());
            pending.setLength(0);
        }
    }
}
