package dev.loopwire.server.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.protocol.ApprovalResolvedParams;
import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.LoopIdParams;
import dev.loopwire.server.trust.CancelCases.Caught;
import dev.loopwire.server.trust.CancelCases.Moment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code loop/cancel} through the real {@code loopwire.jar serve} at each moment a cancel may come
 * ({@link CancelCases}): the loop ends {@code cancelled} and nothing it started is left running:
 * every PID its command or agent wrote and every PID {@code state.json} recorded is gone from
 * {@code /proc} (a zombie waiting for its reaper counts as gone), {@code processes} is empty, the
 * provider's HTTP stream was closed by the server, a pending approval was withdrawn without running
 * its action, and a PID wait ended (the waited-for job, which the loop did not start, is left
 * alone). How fast each ends is measured by {@link CancelLatencyBenchmark} (no timings here).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CancelIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Moment.class)
    void cancelEndsTheLoopCancelledWithNothingLeftRunning(Moment moment) throws Exception {
        try (CancelCases cases = new CancelCases(dir)) {
            Caught caught = cases.catchIn(moment);
            for (long pid : caught.pids()) {
                assertTrue(CancelCases.running(pid), moment + ": process " + pid + " should run before the cancel");
            }
            cases.cancel(caught);

            GetLoopResult got = LiveServer.await(cases.server.loops().get(new LoopIdParams(caught.loopId())));
            assertEquals("cancelled", got.loop().status(), moment.label);
            List<Long> alive = CancelCases.stillRunning(caught.pids(), 15);
            assertTrue(alive.isEmpty(), moment.label + ": still running after the cancel: " + alive
                    + " (of " + caught.pids() + ")");
            assertEquals(List.of(), cases.recorded(caught.loopId()), moment.label + ": processes left in state.json");
            switch (moment) {
                case PROVIDER_STREAM -> assertTrue(caught.streamClosed().await(15, TimeUnit.SECONDS),
                        "the provider's HTTP stream is still open after the cancel");
                case APPROVAL_WAIT -> {
                    assertTrue(cases.server.received(ApprovalResolvedParams.class).stream()
                            .anyMatch(r -> r.loopId().equals(caught.loopId())), "the approval was not withdrawn");
                    assertEquals(null, got.loop().pendingApproval());
                    assertFalse(Files.exists(cases.ws.resolve("asked.txt")), "the asked-for command ran");
                }
                case PID_WAIT -> {
                    assertTrue(caught.waitedFor().isAlive(), "the waited-for job is not the loop's to kill");
                    assertEquals(1, got.iterations().size(), "an iteration ran after the cancel");
                }
                default -> {
                }
            }
        }
    }
}
