package dev.loopwire.engine.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** Test double: a clock that moves {@code stepMillis} forward every time it is read. */
final class SteppingClock extends Clock {

    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    private final long stepMillis;

    SteppingClock(long stepMillis) {
        this.stepMillis = stepMillis;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public long millis() {
        return now.addAndGet(stepMillis);
    }
}
