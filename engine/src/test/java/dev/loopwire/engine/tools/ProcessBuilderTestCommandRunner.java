package dev.loopwire.engine.tools;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.CommandResult;
import dev.loopwire.engine.spi.CommandRunner;
import dev.loopwire.engine.spi.CommandSpec;
import dev.loopwire.engine.spi.ProcessTracker;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A test double for the real (commons-exec) command runner in providers/: runs the command
 * with {@code /bin/sh -c} through {@link ProcessBuilder}, kills the whole tree on timeout,
 * cancel or interrupt, caps the output (head and tail), and records every spec it was given.
 */
final class ProcessBuilderTestCommandRunner implements CommandRunner {

    final List<CommandSpec> specs = new CopyOnWriteArrayList<>();

    @Override
    public CommandResult run(CommandSpec spec, Cancellation cancel, ProcessTracker tracker)
            throws InterruptedException {
        specs.add(spec);
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", spec.command())
                .directory(spec.workingDir().toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(spec.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new CommandResult(127, "cannot start /bin/sh: " + e.getMessage(), false, false, false, 0);
        }
        tracker.started(process.pid(), process.info().startInstant().map(Instant::toEpochMilli)
                .orElse(System.currentTimeMillis()), spec.command());
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (Reader in = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
                char[] buffer = new char[8192];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (output) {
                        output.append(buffer, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the process was killed
            }
        }, "test-command-output");
        reader.setDaemon(true);
        reader.start();
        AtomicBoolean cancelled = new AtomicBoolean();
        boolean timedOut = false;
        try (AutoCloseable hook = cancel.onCancel(() -> {
            cancelled.set(true);
            killTree(process);
        })) {
            long timeoutMillis = (long) (spec.timeoutSeconds() * 1000);
            if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                timedOut = !cancelled.get();
                killTree(process);
            }
            process.waitFor();
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            tracker.ended(process.pid());
        }
        reader.join(5000);
        String text;
        synchronized (output) {
            text = output.toString();
        }
        boolean truncated = text.length() > spec.maxOutputChars();
        if (truncated) {
            int half = spec.maxOutputChars() / 2;
            text = text.substring(0, half) + "\n...\n" + text.substring(text.length() - half);
        }
        boolean killed = timedOut || cancelled.get();
        return new CommandResult(killed ? -1 : process.exitValue(), text, truncated, timedOut, cancelled.get(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
