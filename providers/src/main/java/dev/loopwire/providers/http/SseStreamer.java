package dev.loopwire.providers.http;

import dev.loopwire.engine.tools.Redactor;
import dev.loopwire.providers.internal.Text;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ProviderException.Kind;
import dev.loopwire.engine.spi.TurnSink;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

/**
 * Runs one streaming HTTP request (server-sent events) with retries, timeouts and cancellation,
 * and hands every event to a {@link Handler} on the calling thread.
 *
 * <p>The call runs on OkHttp's dispatcher; its events travel through a queue to the caller's
 * thread, which therefore stays interruptible and reacts to {@link Cancellation} at once (the
 * call is cancelled and {@link CancellationException} thrown). Failures before anything reached
 * the sink (HTTP 408/409/429/5xx, connection errors, timeouts before the first event, retryable
 * stream errors) are retried with backoff; afterwards a broken stream is an error, never a
 * silently shortened answer.
 */
public final class SseStreamer {

    /** Consumes the events of one attempt on the caller's thread. A new handler per attempt. */
    public interface Handler {

        /**
         * Handles one event.
         *
         * @return true when this event completes the stream ({@code [DONE]}, {@code message_stop})
         * @throws ProviderException for an error event or a malformed event; TRANSIENT and
         *                           RATE_LIMITED ones are retried while nothing was emitted
         */
        boolean onEvent(String type, String data) throws ProviderException;

        /** True once anything was delivered to the sink: from then on nothing is retried. */
        boolean emitted();
    }

    private static final int EXCERPT = 300;

    private final OkHttpClient client;
    private final HttpSettings settings;
    private final RetryPolicy retryPolicy;
    private final String label;
    private final Redactor redaction;
    private final String authHint;

    /**
     * @param label     the provider id used in messages, e.g. {@code openai}
     * @param redaction removes the provider's key from anything shown
     * @param authHint  appended to 401/403 failures, e.g. "check OPENAI_API_KEY"
     */
    public SseStreamer(OkHttpClient client, HttpSettings settings, String label, Redactor redaction, String authHint) {
        this.client = client;
        this.settings = settings;
        this.retryPolicy = new RetryPolicy(settings);
        this.label = label;
        this.redaction = redaction;
        this.authHint = authHint;
    }

    /**
     * Sends {@code request} and streams its events into a handler from {@code handlers}, retrying
     * as described on the class. Returns the handler of the attempt that completed.
     */
    public <H extends Handler> H stream(Request request, Supplier<H> handlers, TurnSink sink, Cancellation cancel)
            throws ProviderException, InterruptedException {
        cancel.throwIfCancelled();
        BlockingQueue<Signal> queue = new LinkedBlockingQueue<>();
        AtomicReference<Call> current = new AtomicReference<>();
        AutoCloseable registration = cancel.onCancel(() -> {
            Call call = current.get();
            if (call != null) {
                call.cancel();
            }
            queue.offer(Signal.CANCELLED);
        });
        try {
            for (int attempt = 1; ; attempt++) {
                H handler = handlers.get();
                Call call = client.newCall(request);
                current.set(call);
                if (cancel.isCancelled()) {
                    throw new CancellationException("cancelled");
                }
                Failure failure = null;
                boolean ended = false;
                try {
                    call.enqueue(new Forwarder(queue, attempt));
                    failure = consume(call, attempt, handler, queue, cancel);
                    ended = failure == null && awaitEnd(attempt, queue);
                } finally {
                    if (!ended) {
                        // abandon the call; a stream that ended by itself keeps its pooled connection
                        call.cancel();
                    }
                }
                if (failure == null) {
                    return handler;
                }
                int tries = settings.maxRetries() + 1;
                if (!failure.retryable || attempt >= tries) {
                    throw failure.toException(label, attempt, fallbackWait(failure, attempt));
                }
                Duration wait = failure.hint != null ? failure.hint : retryPolicy.backoff(attempt);
                if (wait.compareTo(settings.maxRetryWait()) > 0) {
                    throw failure.toException(label, attempt, wait);
                }
                sink.log(label + ": " + failure.summary + "; retrying in " + seconds(wait) + " (try "
                        + (attempt + 1) + " of " + tries + ")");
                pause(wait, queue);
            }
        } finally {
            try {
                registration.close();
            } catch (Exception ignored) {
                // unregistering a hook cannot fail in a way that matters here
            }
        }
    }

    private Duration fallbackWait(Failure failure, int attempt) {
        return failure.hint != null ? failure.hint : retryPolicy.backoff(attempt);
    }

    private Failure consume(Call call, int attempt, Handler handler, BlockingQueue<Signal> queue, Cancellation cancel)
            throws InterruptedException {
        boolean opened = false;
        long idle = settings.idleStreamTimeout().toNanos();
        int events = 0;
        while (true) {
            Signal s = opened && idle > 0 ? queue.poll(idle, TimeUnit.NANOSECONDS) : queue.take();
            if (s == null) {
                call.cancel();
                if (cancel.isCancelled()) {
                    throw new CancellationException("cancelled");
                }
                return new Failure(Kind.TRANSIENT, "no stream data for " + seconds(settings.idleStreamTimeout())
                        + " (idleStreamTimeoutSeconds)", null, !handler.emitted(), null);
            }
            if (s.kind == SignalKind.CANCEL) {
                throw new CancellationException("cancelled");
            }
            if (s.attempt != attempt) {
                continue;
            }
            switch (s.kind) {
                case OPEN -> opened = true;
                case EVENT -> {
                    events++;
                    boolean done;
                    try {
                        done = handler.onEvent(s.type, s.data);
                    } catch (ProviderException e) {
                        boolean retryable = (e.kind() == Kind.TRANSIENT || e.kind() == Kind.RATE_LIMITED)
                                && !handler.emitted();
                        return new Failure(e.kind(), redaction.redact(e.getMessage()), e.retryAfter(), retryable, e);
                    }
                    if (done) {
                        return null;
                    }
                }
                case CLOSED -> {
                    return new Failure(Kind.TRANSIENT, "stream ended before it was complete (after " + events
                            + " events)", null, !handler.emitted(), null);
                }
                case FAILURE -> {
                    if (cancel.isCancelled()) {
                        throw new CancellationException("cancelled");
                    }
                    return ioFailure(s.failure, opened, events, handler);
                }
                case HTTP_ERROR -> {
                    return httpFailure(s);
                }
                case PROTOCOL -> {
                    return new Failure(Kind.PROTOCOL, s.data, null, false, null);
                }
                default -> throw new IllegalStateException(s.kind.name());
            }
        }
    }

    /**
     * After the completing event, gives the server a moment to end the body, so that the
     * connection goes back to the pool. True when the body ended cleanly.
     */
    private static boolean awaitEnd(int attempt, BlockingQueue<Signal> queue) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(250);
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Signal s = queue.poll(left, TimeUnit.NANOSECONDS);
            if (s == null || s.kind == SignalKind.CANCEL) {
                return false;
            }
            if (s.attempt == attempt && s.kind == SignalKind.CLOSED) {
                return true;
            }
            if (s.attempt == attempt && s.kind == SignalKind.FAILURE) {
                return false;
            }
        }
        return false;
    }

    private void pause(Duration wait, BlockingQueue<Signal> queue) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Signal s = queue.poll(left, TimeUnit.NANOSECONDS);
            if (s != null && s.kind == SignalKind.CANCEL) {
                throw new CancellationException("cancelled");
            }
        }
    }

    private Failure ioFailure(Throwable t, boolean opened, int events, Handler handler) {
        String what = describe(t);
        if (!opened) {
            return new Failure(Kind.TRANSIENT, what, null, true, t);
        }
        return new Failure(Kind.TRANSIENT, "stream broke after " + events + " events: " + what, null,
                !handler.emitted(), t);
    }

    private String describe(Throwable t) {
        String message = t.getMessage() == null ? "" : ": " + Text.excerpt(redaction, t.getMessage(), 200);
        if (t instanceof SocketTimeoutException) {
            return "timed out waiting for the server" + message + " (readTimeoutSeconds/connectTimeoutSeconds)";
        }
        if (t instanceof InterruptedIOException && "timeout".equals(t.getMessage())) {
            return "call took longer than " + seconds(settings.callTimeout()) + " (callTimeoutSeconds)";
        }
        if (t instanceof IOException) {
            return "connection failed (" + t.getClass().getSimpleName() + message + ")";
        }
        return "stream failed (" + t.getClass().getSimpleName() + message + ")";
    }

    private Failure httpFailure(Signal s) {
        int code = s.code;
        Boolean should = RetryPolicy.shouldRetryHeader(s.headers);
        boolean retryable = should != null ? should : RetryPolicy.retryableStatus(code);
        Kind kind = code == 429 ? Kind.RATE_LIMITED
                : code >= 500 || code == 408 || code == 409 || code == 425 ? Kind.TRANSIENT : Kind.FATAL;
        StringBuilder summary = new StringBuilder("HTTP ").append(code);
        String reason = statusReason(code);
        if (!reason.isEmpty()) {
            summary.append(' ').append(reason);
        }
        String detail = errorDetail(s.data);
        if (!detail.isEmpty()) {
            summary.append(": ").append(detail);
        }
        if ((code == 401 || code == 403) && authHint != null) {
            summary.append(" (").append(authHint).append(')');
        }
        return new Failure(kind, summary.toString(), retryPolicy.serverHint(s.headers), retryable, null);
    }

    /** The error's type and message from a JSON error body, else a redacted excerpt of the body. */
    private String errorDetail(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            JsonNode error = root.get("error");
            if (error != null && error.isObject()) {
                String type = Json.text(error, "type");
                String message = Json.text(error, "message");
                String text = (type != null ? type + ": " : "") + (message != null ? message : "");
                if (!text.isBlank()) {
                    return Text.excerpt(redaction, text, EXCERPT);
                }
            } else if (error != null && error.isTextual()) {
                return Text.excerpt(redaction, error.asText(), EXCERPT);
            }
        } catch (IOException | RuntimeException notJson) {
            // show the raw excerpt instead
        }
        return Text.excerpt(redaction, body, EXCERPT);
    }

    private static String statusReason(int code) {
        return switch (code) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 529 -> "Overloaded";
            default -> "";
        };
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        if (ms > 0 && ms < 1000 && ms % 100 != 0) {
            return ms + " ms";
        }
        double s = ms / 1000.0;
        return (s == Math.rint(s) ? String.valueOf((long) s) : String.format(Locale.ROOT, "%.1f", s)) + " s";
    }

    /** One failed attempt. */
    private static final class Failure {
        final Kind kind;
        final String summary;
        final Duration hint;
        final boolean retryable;
        final Throwable cause;

        Failure(Kind kind, String summary, Duration hint, boolean retryable, Throwable cause) {
            this.kind = kind;
            this.summary = summary;
            this.hint = hint;
            this.retryable = retryable;
            this.cause = cause;
        }

        ProviderException toException(String label, int attempts, Duration wait) {
            String message = label + ": " + summary + (attempts > 1 ? " (gave up after " + attempts + " tries)" : "");
            Duration retryAfter = kind == Kind.RATE_LIMITED || kind == Kind.TRANSIENT ? wait : null;
            if (kind == Kind.RATE_LIMITED && hint != null) {
                retryAfter = hint;
            }
            // only I/O causes travel along: their messages never hold request headers
            return new ProviderException(kind, message, retryAfter, cause instanceof IOException ? cause : null);
        }
    }

    private enum SignalKind { OPEN, EVENT, CLOSED, FAILURE, HTTP_ERROR, PROTOCOL, CANCEL }

    /** What the dispatcher thread tells the caller's thread. */
    private static final class Signal {
        static final Signal CANCELLED = new Signal(SignalKind.CANCEL, 0, null, null, null, 0, null);

        final SignalKind kind;
        final int attempt;
        final String type;
        final String data;
        final Throwable failure;
        final int code;
        final Headers headers;

        Signal(SignalKind kind, int attempt, String type, String data, Throwable failure, int code, Headers headers) {
            this.kind = kind;
            this.attempt = attempt;
            this.type = type;
            this.data = data;
            this.failure = failure;
            this.code = code;
            this.headers = headers;
        }
    }

    /** Runs on the dispatcher: reads the response and forwards everything as signals. */
    private final class Forwarder extends EventSourceListener implements Callback {
        private final BlockingQueue<Signal> queue;
        private final int attempt;

        Forwarder(BlockingQueue<Signal> queue, int attempt) {
            this.queue = queue;
            this.attempt = attempt;
        }

        private void send(SignalKind kind, String type, String data, Throwable failure, int code, Headers headers) {
            queue.offer(new Signal(kind, attempt, type, data, failure, code, headers));
        }

        @Override
        public void onFailure(Call call, IOException e) {
            send(SignalKind.FAILURE, null, null, e, 0, null);
        }

        @Override
        public void onResponse(Call call, Response response) {
            try (response) {
                if (!response.isSuccessful()) {
                    String body;
                    try {
                        body = response.peekBody(16_384).string();
                    } catch (IOException e) {
                        body = "";
                    }
                    send(SignalKind.HTTP_ERROR, null, body, null, response.code(), response.headers());
                    return;
                }
                MediaType type = response.body().contentType();
                if (type == null || !"text".equals(type.type()) || !"event-stream".equals(type.subtype())) {
                    String body;
                    try {
                        body = response.peekBody(2_048).string();
                    } catch (IOException e) {
                        body = "";
                    }
                    send(SignalKind.PROTOCOL, null, "expected a text/event-stream response, got " + type + ": "
                            + Text.excerpt(redaction, body, EXCERPT), null, response.code(), null);
                    return;
                }
                EventSources.processResponse(response, this);
            }
        }

        @Override
        public void onOpen(EventSource eventSource, Response response) {
            send(SignalKind.OPEN, null, null, null, response.code(), null);
        }

        @Override
        public void onEvent(EventSource eventSource, String id, String type, String data) {
            send(SignalKind.EVENT, type, data, null, 0, null);
        }

        @Override
        public void onClosed(EventSource eventSource) {
            send(SignalKind.CLOSED, null, null, null, 0, null);
        }

        @Override
        public void onFailure(EventSource eventSource, Throwable t, Response response) {
            send(SignalKind.FAILURE, null, null, t == null ? new IOException("stream failed") : t, 0, null);
        }
    }
}
