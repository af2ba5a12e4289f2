package dev.loopwire.engine.internal;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.CommandResult;
import dev.loopwire.engine.spi.CommandRunner;
import dev.loopwire.engine.spi.CommandSpec;
import dev.loopwire.engine.spi.ProcessTracker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Test double for the real command runner (which lives in providers/): {@code /bin/sh -c} with
 * ProcessBuilder, output capped, the process tree killed on timeout, cancel or interrupt.
 */
final class ProcessBuilderTestCommandRunner implements CommandRunner {

    @Override
    public CommandResult run(CommandSpec spec, Cancellation cancel, ProcessTracker tracker)
            throws InterruptedException {
        long start = System.currentTimeMillis();
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", spec.command())
                .directory(spec.workingDir().toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(spec.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new CommandResult(127, "cannot start: " + e.getMessage(), false, false, false, 0);
        }
        tracker.started(process.pid(), process.info().startInstant().map(i -> i.toEpochMilli()).orElse(start),
                spec.command());
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        boolean cancelled = false;
        boolean timedOut = false;
        try (AutoCloseable hook = cancel.onCancel(() -> killTree(process))) {
            if (!process.waitFor(Math.round(spec.timeoutSeconds() * 1000), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                killTree(process);
            }
            cancelled = cancel.isCancelled();
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            tracker.ended(process.pid());
        }
        String text = output.getNow("");
        try {
            text = output.get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            // keep what we have
        }
        boolean truncated = text.length() > spec.maxOutputChars();
        if (truncated) {
            text = text.substring(0, spec.maxOutputChars());
        }
        int exit = process.isAlive() ? -1 : process.exitValue();
        return new CommandResult(cancelled || timedOut ? -1 : exit, text, truncated, timedOut, cancelled,
                System.currentTimeMillis() - start);
    }

    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
