package dev.loopwire.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.services.LoopwireClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client's queued notifications are written frame after frame and flushed once the queue is
 * empty (at most every {@link ClientChannel#FLUSH_EVERY}), through the real lsp4j proxy and framing;
 * a frame written by another thread (a response) is flushed at once; nothing stays unflushed once
 * the channel is drained.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FlushBatchingTest {

    /** Test double: records bytes and flushes; the first write waits until released. */
    private static final class CountingOutput extends OutputStream {
        final CountDownLatch firstWrite = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int flushes;
        int flushedUpTo;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            firstWrite.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                bytes.write(b, off, len);
            }
        }

        @Override
        public synchronized void flush() {
            flushes++;
            flushedUpTo = bytes.size();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aBurstIsFlushedOncePerEmptyQueueInOrder() throws Exception {
        CountingOutput out = new CountingOutput();
        Launcher<LoopwireClient> launcher = RpcLauncher.create(new Object(), LoopwireClient.class,
                new ByteArrayInputStream(new byte[0]), out, null);
        LoopwireClient proxy = launcher.getRemoteProxy();
        int n = 1000;
        try (ClientChannel channel = new ClientChannel("burst", proxy, null)) {
            channel.output(new LoopOutputParams("l", 1, "text", "d0", null));
            assertTrue(out.firstWrite.await(10, TimeUnit.SECONDS)); // the sender is writing d0 and waits
            for (int i = 1; i < n; i++) {
                channel.output(new LoopOutputParams("l", 1, "text", "d" + i, null));
            }
            channel.status(new LoopStatusParams("l", "succeeded", null, false, null));
            out.release.countDown();
            channel.drain(10_000);

            synchronized (out) {
                assertEquals(out.bytes.size(), out.flushedUpTo, "everything written is flushed once drained");
                int most = 1 + (n + 1) / ClientChannel.FLUSH_EVERY + 1;
                assertTrue(out.flushes <= most, out.flushes + " flushes for " + (n + 1) + " notifications");
            }
            // every frame, whole and in order
            Matcher m = Pattern.compile("Content-Length: (\\d+)\r\n\r\n").matcher(out.text());
            byte[] all = out.bytes.toByteArray();
            int at = 0;
            int frames = 0;
            String text = out.text();
            while (m.find(at)) {
                int len = Integer.parseInt(m.group(1));
                int bodyStart = text.substring(0, m.end()).getBytes(StandardCharsets.UTF_8).length;
                String body = new String(all, bodyStart, len, StandardCharsets.UTF_8);
                if (frames < n) {
                    assertTrue(body.contains("\"text\":\"d" + frames + "\""), body);
                } else {
                    assertTrue(body.contains("\"method\":\"loop/status\""), body);
                }
                frames++;
                at = m.end() + len;
            }
            assertEquals(n + 1, frames);

            // another thread's frame (what a response is) is flushed at once
            int before;
            synchronized (out) {
                before = out.flushes;
            }
            proxy.status(new LoopStatusParams("l", "succeeded", null, false, null));
            synchronized (out) {
                assertEquals(before + 1, out.flushes);
                assertEquals(out.bytes.size(), out.flushedUpTo);
            }
        }
    }
}
