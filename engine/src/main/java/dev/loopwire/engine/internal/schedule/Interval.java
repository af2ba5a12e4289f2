package dev.loopwire.engine.internal.schedule;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A schedule's {@code every}: a whole number and a unit, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}. */
public final class Interval {

    /** The shortest interval a schedule accepts. */
    public static final Duration MINIMUM = Duration.ofSeconds(1);

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})\\s*([smhd])");
    private static final String EXAMPLE = "give a whole number and a unit s, m, h or d, for example "
            + "{\"every\": \"5m\"} (also 30s, 2h, 1d)";

    private Interval() {
    }

    /**
     * Parses {@code every}; throws {@link IllegalArgumentException} with a message that names
     * the value and gives an example when it is missing, malformed, zero, negative or under 1 s.
     */
    public static Duration parse(String every) {
        if (every == null || every.isBlank()) {
            throw new IllegalArgumentException("schedule.every is missing: " + EXAMPLE);
        }
        String text = every.strip().toLowerCase(java.util.Locale.ROOT);
        if (text.startsWith("-")) {
            throw new IllegalArgumentException("schedule.every must be positive, got '" + every + "': " + EXAMPLE);
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("schedule.every '" + every + "' is not an interval: " + EXAMPLE);
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(MINIMUM) < 0) {
            throw new IllegalArgumentException("schedule.every must be at least 1s, got '" + every + "': " + EXAMPLE);
        }
        return d;
    }
}
