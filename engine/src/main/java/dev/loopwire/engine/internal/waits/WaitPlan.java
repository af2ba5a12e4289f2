package dev.loopwire.engine.internal.waits;

import dev.loopwire.engine.spi.ProcessProbe;
import dev.loopwire.protocol.WaitsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The wait after an iteration: a time wait (the interval, or the agent's capped
 * {@code wait_seconds} hint) and the reported PIDs that still run. PIDs are waited for first;
 * what is left of the time wait follows.
 *
 * @param seconds    time to wait in all (0: none)
 * @param pids       reported PIDs alive at planning time, with their start times (0 when unknown)
 * @param starts     start times (epoch millis) of {@code pids}, same order
 * @param gone       reported PIDs that were already gone
 * @param maxSeconds the longest wait for PIDs ({@code waits.maxWaitSeconds})
 * @param pollSeconds how often PIDs are checked ({@code waits.pidPollSeconds})
 * @param reason     the status reason while waiting
 */
public record WaitPlan(double seconds, List<Long> pids, List<Long> starts, List<Long> gone, double maxSeconds,
        double pollSeconds, String reason) {

    /** {@code waits.maxWaitSeconds} when not given (fermilink's default). */
    public static final double DEFAULT_MAX_WAIT_SECONDS = 6000;
    /** {@code waits.pidPollSeconds} when not given. */
    public static final double DEFAULT_PID_POLL_SECONDS = 5;

    public WaitPlan {
        pids = List.copyOf(pids);
        starts = List.copyOf(starts);
        gone = List.copyOf(gone);
    }

    /** True when there is something to wait for. */
    public boolean waits() {
        return seconds > 0 || !pids.isEmpty();
    }

    /** The plan for an iteration that ended with {@code text}. */
    public static WaitPlan of(WaitsConfig waits, String text, ProcessProbe probe) {
        double interval = waits == null || waits.intervalSeconds() == null ? 0 : waits.intervalSeconds();
        double max = waits == null || waits.maxWaitSeconds() == null ? DEFAULT_MAX_WAIT_SECONDS : waits.maxWaitSeconds();
        double poll = waits == null || waits.pidPollSeconds() == null ? DEFAULT_PID_POLL_SECONDS
                : waits.pidPollSeconds();
        WaitHints hints = WaitHints.parse(text);
        double seconds = interval;
        String why = "interval " + seconds(interval);
        if (hints.waitSeconds().isPresent()) {
            double asked = hints.waitSeconds().getAsDouble();
            seconds = Math.min(asked, max);
            why = "the agent asked to wait " + seconds(asked) + (asked > max ? " (capped at waits.maxWaitSeconds "
                    + seconds(max) + ")" : "");
        }
        List<Long> alive = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        List<Long> gone = new ArrayList<>();
        for (long pid : hints.pids()) {
            if (probe.isAlive(pid)) {
                alive.add(pid);
                starts.add(probe.startEpochMillis(pid).orElse(0));
            } else {
                gone.add(pid);
            }
        }
        String reason;
        if (!alive.isEmpty()) {
            reason = "waiting for PID(s) " + join(alive) + " to exit (checked every " + seconds(poll)
                    + ", at most " + seconds(max) + ")";
        } else {
            reason = "waiting " + seconds(seconds) + ": " + why;
        }
        return new WaitPlan(seconds, alive, starts, gone, max, poll, reason);
    }

    public static String join(List<Long> pids) {
        return pids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    public static String seconds(double s) {
        return (s == Math.rint(s) ? String.valueOf((long) s) : String.format(Locale.ROOT, "%.1f", s)) + " s";
    }
}
