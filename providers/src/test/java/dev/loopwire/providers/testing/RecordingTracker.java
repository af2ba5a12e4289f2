package dev.loopwire.providers.testing;

import dev.loopwire.engine.spi.ProcessTracker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** A process tracker that records every start and end. */
public final class RecordingTracker implements ProcessTracker {

    /** One recorded start. */
    public record Started(long pid, long startEpochMillis, String command) {
    }

    public final List<Started> started = new CopyOnWriteArrayList<>();
    public final List<Long> ended = new CopyOnWriteArrayList<>();
    public final CountDownLatch firstStart = new CountDownLatch(1);

    @Override
    public void started(long pid, long startEpochMillis, String command) {
        started.add(new Started(pid, startEpochMillis, command));
        firstStart.countDown();
    }

    @Override
    public void ended(long pid) {
        ended.add(pid);
    }
}
