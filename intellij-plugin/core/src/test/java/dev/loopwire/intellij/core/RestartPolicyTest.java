package dev.loopwire.intellij.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-22T02:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void allowsFiveRestartsInTenMinutesThenRefuses() {
        ManualClock clock = new ManualClock();
        RestartPolicy policy = new RestartPolicy(5, Duration.ofMinutes(10), clock);
        for (int i = 0; i < 5; i++) {
            assertTrue(policy.tryRestart(), "restart " + (i + 1));
            clock.now = clock.now.plusSeconds(60);
        }
        assertFalse(policy.tryRestart());
        assertEquals(5, policy.recentRestarts());
    }

    @Test
    void oldRestartsLeaveTheWindow() {
        ManualClock clock = new ManualClock();
        RestartPolicy policy = new RestartPolicy(5, Duration.ofMinutes(10), clock);
        for (int i = 0; i < 5; i++) {
            assertTrue(policy.tryRestart());
        }
        assertFalse(policy.tryRestart());
        clock.now = clock.now.plus(Duration.ofMinutes(10)).plusSeconds(1);
        assertTrue(policy.tryRestart());
        assertEquals(1, policy.recentRestarts());
    }

    @Test
    void resetForgetsRestarts() {
        RestartPolicy policy = new RestartPolicy(1, Duration.ofMinutes(10), new ManualClock());
        assertTrue(policy.tryRestart());
        assertFalse(policy.tryRestart());
        policy.reset();
        assertTrue(policy.tryRestart());
    }
}
