package dev.loopwire.engine.internal.waits;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an agent asked the loop to wait for, read from its text (fermilink exploop's markers):
 * {@code <wait_seconds>N</wait_seconds>} (the last one counts) and any number of
 * {@code <pid_number>N</pid_number>} for detached jobs it started.
 *
 * @param waitSeconds the requested wait, when the text has a valid one
 * @param pids        reported PIDs, in order, without duplicates
 */
public record WaitHints(OptionalDouble waitSeconds, List<Long> pids) {

    private static final Pattern WAIT = Pattern.compile("<wait_seconds>\\s*([0-9]+(?:\\.[0-9]+)?)\\s*</wait_seconds>");
    private static final Pattern PID = Pattern.compile("<pid_number>\\s*([0-9]{1,10})\\s*</pid_number>");

    public WaitHints {
        pids = List.copyOf(pids);
    }

    /** The hints in {@code text} (none for null). */
    public static WaitHints parse(String text) {
        if (text == null || text.isEmpty()) {
            return new WaitHints(OptionalDouble.empty(), List.of());
        }
        OptionalDouble wait = OptionalDouble.empty();
        Matcher m = WAIT.matcher(text);
        while (m.find()) {
            wait = OptionalDouble.of(Double.parseDouble(m.group(1)));
        }
        Set<Long> pids = new LinkedHashSet<>();
        Matcher p = PID.matcher(text);
        while (p.find()) {
            long pid = Long.parseLong(p.group(1));
            if (pid > 0) {
                pids.add(pid);
            }
        }
        return new WaitHints(wait, new ArrayList<>(pids));
    }
}
