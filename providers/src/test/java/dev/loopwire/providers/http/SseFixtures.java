package dev.loopwire.providers.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.SocketEffect;
import okio.BufferedSink;

/** Test fixtures under {@code src/test/resources/http/} as MockWebServer responses. */
public final class SseFixtures {

    private SseFixtures() {
    }

    public static String read(String path) {
        try (InputStream in = SseFixtures.class.getResourceAsStream("/http/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 200 {@code text/event-stream} response with the fixture as its body. */
    public static MockResponse sse(String path) {
        return new MockResponse.Builder().code(200)
                .setHeader("Content-Type", "text/event-stream; charset=utf-8")
                .body(read(path)).build();
    }

    /** An error response with a JSON fixture body. */
    public static MockResponse.Builder json(int code, String path) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                .body(read(path));
    }

    /** A streamed (chunked) body that writes {@code first}, then stalls until {@code release} (at most 20 s). */
    public static MockResponse stalling(String first, CountDownLatch release) {
        MockResponseBody body = new MockResponseBody() {
            @Override
            public long getContentLength() {
                return -1;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.writeUtf8(first);
                sink.flush();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream")
                .body(body).build();
    }

    /**
     * The fixture's stream, with the socket closed by the server half way through the body
     * (MockWebServer's {@code onResponseBody} socket effect).
     */
    public static MockResponse aborting(String path) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream")
                .body(read(path)).onResponseBody(new SocketEffect.CloseSocket(true, false, false)).build();
    }
}
