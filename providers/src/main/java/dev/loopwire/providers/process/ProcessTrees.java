package dev.loopwire.providers.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stops whole process trees: descendants first, then the process itself; SIGTERM first, then
 * SIGKILL for whatever is still alive after a grace period. Also tells whether a recorded process
 * (PID plus start time) is still the same process, so that a PID the OS gave to another program
 * is never killed.
 *
 * <p>Killing never throws and always finishes: an interrupt during the grace period goes straight
 * to SIGKILL and the thread's interrupt flag is set again.
 */
public final class ProcessTrees {

    /** The default time between SIGTERM and SIGKILL. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(2);

    /**
     * How far a recorded start time may differ from the one the OS reports now. The OS derives
     * start times from boot time plus clock ticks, so the same process can read a few hundred
     * milliseconds apart at different moments.
     */
    private static final long START_TOLERANCE_MILLIS = 1500;

    private static final long POLL_MILLIS = 20;

    private ProcessTrees() {
    }

    /** The process's start time in epoch millis as the OS reports it, or -1 when unknown. */
    public static long startEpochMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    }

    /**
     * True when a process with this PID is alive and started at {@code startEpochMillis}
     * (within a small tolerance). A process whose start time cannot be read is not ours.
     */
    public static boolean isAlive(long pid, long startEpochMillis) {
        return find(pid, startEpochMillis).isPresent();
    }

    /** The live process with this PID and start time, if it is still the same process. */
    public static Optional<ProcessHandle> find(long pid, long startEpochMillis) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !isRunning(handle.get())) {
            return Optional.empty();
        }
        long actual = startEpochMillis(handle.get());
        if (actual < 0 || Math.abs(actual - startEpochMillis) > START_TOLERANCE_MILLIS) {
            return Optional.empty();
        }
        return handle;
    }

    /**
     * Kills the tree of the process with this PID if it is still the process that started at
     * {@code startEpochMillis}.
     *
     * @return true when the process was found (and killed), false when it was gone or the PID
     *         now belongs to another process (which is left alone)
     */
    public static boolean killTree(long pid, long startEpochMillis, Duration grace) {
        Optional<ProcessHandle> handle = find(pid, startEpochMillis);
        handle.ifPresent(h -> killTree(h, grace));
        return handle.isPresent();
    }

    /**
     * Kills {@code root} and all its descendants: SIGTERM to the descendants (deepest first) and
     * then to the root, wait up to {@code grace} for them to exit, then SIGKILL to whatever is
     * left, including children started in the meantime. Returns when all are gone or after a
     * further second.
     */
    public static void killTree(ProcessHandle root, Duration grace) {
        if (root.pid() == ProcessHandle.current().pid()) {
            throw new IllegalArgumentException("refusing to kill the current process");
        }
        List<ProcessHandle> tree = snapshot(root);
        for (ProcessHandle p : tree) {
            p.destroy();
        }
        boolean interrupted = false;
        try {
            waitGone(tree, grace);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        // Whatever survived TERM, plus anything they started meanwhile, gets KILL.
        Map<Long, ProcessHandle> left = new LinkedHashMap<>();
        for (ProcessHandle p : tree) {
            if (isRunning(p)) {
                for (ProcessHandle q : snapshot(p)) {
                    left.putIfAbsent(q.pid(), q);
                }
            }
        }
        for (ProcessHandle p : left.values()) {
            p.destroyForcibly();
        }
        try {
            waitGone(new ArrayList<>(left.values()), Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * True when the process is alive and not a zombie. A killed process whose parent has not
     * reaped it yet (for example an orphan waiting for an init that reaps slowly) still counts
     * as alive for {@link ProcessHandle#isAlive()}, but it runs no code and holds no resources
     * beyond its process table entry.
     */
    public static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        try {
            String s = Files.readString(stat);
            int close = s.lastIndexOf(')');
            if (close < 0 || close + 2 >= s.length()) {
                return true;
            }
            char state = s.charAt(close + 2);
            return state != 'Z' && state != 'X' && state != 'x';
        } catch (NoSuchFileException e) {
            return !Files.isDirectory(Path.of("/proc/self"));
        } catch (IOException e) {
            return true;
        }
    }

    /** The process's descendants, deepest first, then the process itself. */
    private static List<ProcessHandle> snapshot(ProcessHandle root) {
        List<ProcessHandle> breadthFirst = new ArrayList<>();
        breadthFirst.add(root);
        for (int i = 0; i < breadthFirst.size(); i++) {
            breadthFirst.get(i).children().forEach(breadthFirst::add);
        }
        List<ProcessHandle> deepestFirst = new ArrayList<>(breadthFirst.size());
        for (int i = breadthFirst.size() - 1; i >= 0; i--) {
            deepestFirst.add(breadthFirst.get(i));
        }
        return deepestFirst;
    }

    private static void waitGone(List<ProcessHandle> processes, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (processes.stream().anyMatch(ProcessTrees::isRunning)) {
            if (System.nanoTime() >= deadline) {
                return;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
