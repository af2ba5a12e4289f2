package dev.loopwire.server.internal;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Watches the client's process ({@code initialize.processId}) and runs an action when it is gone,
 * so that a server whose editor died does not linger (lemminx {@code ParentProcessWatcher}).
 */
public final class ParentProcessWatcher implements AutoCloseable {

    private final CompletableFuture<?> watch;

    private ParentProcessWatcher(CompletableFuture<?> watch) {
        this.watch = watch;
    }

    /** Starts watching {@code pid}; runs {@code onExit} at once when no such process exists. */
    public static ParentProcessWatcher watch(long pid, Runnable onExit) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            CompletableFuture<Void> done = CompletableFuture.runAsync(onExit);
            return new ParentProcessWatcher(done);
        }
        CompletableFuture<ProcessHandle> exited = handle.get().onExit();
        exited.thenRun(onExit);
        return new ParentProcessWatcher(exited);
    }

    @Override
    public void close() {
        watch.cancel(false);
    }
}
