package dev.loopwire.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.services.LoopwireClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A slow or dead client never blocks the sender of notifications, and memory stays bounded. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ClientChannelTest {

    /** A client whose every call blocks until released. */
    private static final class StuckClient implements LoopwireClient {
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> received = new CopyOnWriteArrayList<>();

        private void block() {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void status(LoopStatusParams params) {
            block();
            received.add("status:" + params.status());
        }

        @Override
        public void output(LoopOutputParams params) {
            block();
            received.add("output:" + params.text());
        }
    }

    @Test
    void stuckClientDoesNotBlockAndLosesOnlyOutputBeyondTheSoftLimit() throws Exception {
        StuckClient stuck = new StuckClient();
        try (ClientChannel channel = new ClientChannel("stuck", stuck, null)) {
            int outputs = ClientChannel.SOFT_LIMIT + 500;
            for (int i = 0; i < outputs; i++) {
                channel.output(new LoopOutputParams("l", 1, "text", "t" + i, null)); // returns at once
            }
            channel.status(new LoopStatusParams("l", "succeeded", null, false, null));
            assertTrue(channel.dropped() >= 499, "dropped " + channel.dropped());
            stuck.release.countDown();
            channel.drain(10_000);
            assertEquals("output:t0", stuck.received.get(0));
            assertEquals("status:succeeded", stuck.received.get(stuck.received.size() - 1));
            // order kept among what was delivered
            int last = -1;
            for (String r : stuck.received.subList(0, stuck.received.size() - 1)) {
                int n = Integer.parseInt(r.substring("output:t".length()));
                assertTrue(n > last);
                last = n;
            }
        }
    }

    @Test
    void clientFarBehindIsDisconnected() throws Exception {
        StuckClient stuck = new StuckClient();
        CountDownLatch overflow = new CountDownLatch(1);
        ClientChannel channel = new ClientChannel("dead", stuck, overflow::countDown);
        for (int i = 0; i <= ClientChannel.HARD_LIMIT + 1; i++) {
            channel.status(new LoopStatusParams("l", "running", null, false, null));
        }
        assertTrue(overflow.await(5, TimeUnit.SECONDS));
        channel.abort();
        stuck.release.countDown();
    }
}
