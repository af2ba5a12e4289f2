package dev.loopwire.providers.http;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The one {@link OkHttpClient} of the process, created on first use (never when a factory class
 * is loaded), and per-provider variants that share its connection pool and dispatcher.
 *
 * <p>The dispatcher runs on daemon threads (a CLI run exits without waiting for idle HTTP
 * threads) and allows many concurrent streams per host: each running loop holds one streaming
 * call for the length of a turn, and OkHttp's default of 5 per host would queue the sixth loop.
 */
public final class SharedHttpClient {

    private SharedHttpClient() {
    }

    private static final class Holder {
        static final OkHttpClient CLIENT = create();

        private static OkHttpClient create() {
            AtomicInteger count = new AtomicInteger();
            ThreadFactory threads = runnable -> {
                Thread thread = new Thread(runnable, "loopwire-http-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
            Dispatcher dispatcher = new Dispatcher(new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), threads));
            dispatcher.setMaxRequests(256);
            dispatcher.setMaxRequestsPerHost(128);
            HttpSettings d = HttpSettings.DEFAULTS;
            return new OkHttpClient.Builder()
                    .dispatcher(dispatcher)
                    .connectionPool(new ConnectionPool(16, 5, TimeUnit.MINUTES))
                    .connectTimeout(d.connectTimeout())
                    .readTimeout(d.readTimeout())
                    .writeTimeout(d.writeTimeout())
                    .callTimeout(d.callTimeout())
                    .retryOnConnectionFailure(true)
                    .build();
        }
    }

    /** The shared client with the default timeouts. */
    public static OkHttpClient get() {
        return Holder.CLIENT;
    }

    /** A variant with the given timeouts, sharing the pool and dispatcher. */
    public static OkHttpClient with(HttpSettings settings) {
        return get().newBuilder()
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.writeTimeout())
                .callTimeout(settings.callTimeout())
                .build();
    }
}
