package dev.loopwire.providers.openai;

import static dev.loopwire.providers.http.SseFixtures.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.TurnResult;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.providers.http.ManualCancellation;
import dev.loopwire.providers.http.RecordingTurnSink;
import dev.loopwire.providers.http.SseFixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A slow stream stopped by cancel, by interrupt, and by the idle-stream timeout. */
@Timeout(10)
class OpenAiCancelAndTimeoutTest {

    private MockWebServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
    }

    private Provider provider(Map<String, Object> extra) throws ProviderException {
        Map<String, Object> options = new HashMap<>(extra);
        options.put("baseUrl", server.url("/v1").toString());
        return new OpenAiProviderFactory().create(new ProviderSpec("openai", "gpt-4o-mini", options),
                new ProviderContext(null, Map.of("OPENAI_API_KEY", OpenAiProviderTest.KEY), null, null));
    }

    /** The first two events of the text stream, then nothing until the test ends. */
    private void enqueueSlowStream() {
        String[] events = read("openai/text-stream.sse").split("\n\n");
        server.enqueue(SseFixtures.stalling(events[0] + "\n\n" + events[1] + "\n\n", release));
    }

    @Test
    void cancelAbortsTheCallAndThrowsCancellation() throws Exception {
        enqueueSlowStream();
        RecordingTurnSink sink = new RecordingTurnSink();
        ManualCancellation cancel = new ManualCancellation();
        CompletableFuture.runAsync(() -> {
            try {
                sink.firstText.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            cancel.cancel();
        });

        assertThrows(CancellationException.class,
                () -> provider(Map.of()).turn(OpenAiProviderTest.simple(), sink, cancel));

        assertEquals("Hello", sink.text());
    }

    @Test
    void anAlreadyCancelledTurnSendsNothing() throws Exception {
        ManualCancellation cancel = new ManualCancellation();
        cancel.cancel();

        assertThrows(CancellationException.class,
                () -> provider(Map.of()).turn(OpenAiProviderTest.simple(), new RecordingTurnSink(), cancel));

        assertEquals(0, server.getRequestCount());
    }

    @Test
    void interruptingTheRunnerStopsTheTurn() throws Exception {
        enqueueSlowStream();
        RecordingTurnSink sink = new RecordingTurnSink();
        Provider provider = provider(Map.of());
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                TurnResult ignored = provider.turn(OpenAiProviderTest.simple(), sink,
                        dev.loopwire.engine.Cancellation.NONE);
                thrown.set(new AssertionError("finished: " + ignored));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        runner.start();
        assertTrue(sink.firstText.await(5, TimeUnit.SECONDS));

        runner.interrupt();
        runner.join(5_000);

        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
    }

    @Test
    void aStreamIdleLongerThanTheIdleTimeoutFails() throws Exception {
        enqueueSlowStream();
        RecordingTurnSink sink = new RecordingTurnSink();

        ProviderException e = assertThrows(ProviderException.class,
                () -> provider(Map.of("idleStreamTimeoutSeconds", 0.3)).turn(OpenAiProviderTest.simple(), sink,
                        dev.loopwire.engine.Cancellation.NONE));

        assertEquals(ProviderException.Kind.TRANSIENT, e.kind());
        assertTrue(e.getMessage().contains("no stream data for 0.3 s (idleStreamTimeoutSeconds)"), e.getMessage());
        assertEquals(1, server.getRequestCount(), "text already went out: no retry");
    }

    @Test
    void aReadTimeoutBeforeTheFirstByteIsRetriedThenReported() throws Exception {
        for (int i = 0; i < 2; i++) {
            server.enqueue(new mockwebserver3.MockResponse.Builder().code(200)
                    .setHeader("Content-Type", "text/event-stream").headersDelay(3, TimeUnit.SECONDS)
                    .body("data: [DONE]\n\n").build());
        }
        RecordingTurnSink sink = new RecordingTurnSink();

        ProviderException e = assertThrows(ProviderException.class,
                () -> provider(Map.of("readTimeoutSeconds", 0.2, "maxRetries", 1, "retryBaseMillis", 1))
                        .turn(OpenAiProviderTest.simple(), sink, dev.loopwire.engine.Cancellation.NONE));

        assertEquals(ProviderException.Kind.TRANSIENT, e.kind());
        assertTrue(e.getMessage().contains("timed out waiting for the server"), e.getMessage());
        assertTrue(e.getMessage().contains("gave up after 2 tries"), e.getMessage());
        assertEquals(List.of(1), List.of(sink.logs().size()), sink.logs().toString());
    }
}
