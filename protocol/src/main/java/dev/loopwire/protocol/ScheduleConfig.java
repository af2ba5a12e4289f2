package dev.loopwire.protocol;


/** Re-run a finished loop on an interval such as {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}. */
public record ScheduleConfig(String every) {
}
