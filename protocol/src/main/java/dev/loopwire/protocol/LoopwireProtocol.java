package dev.loopwire.protocol;

import com.google.gson.GsonBuilder;
import com.google.gson.ToNumberPolicy;

/** Constants and wire settings shared by the server and every Java client. */
public final class LoopwireProtocol {

    /** The protocol version this module describes; {@code initialize} exchanges it. */
    public static final int PROTOCOL_VERSION = 1;

    /** The default done token: a line of the assistant's text that reads exactly this. */
    public static final String DEFAULT_DONE_TOKEN = "<promise>DONE</promise>";

    private LoopwireProtocol() {
    }

    /**
     * Wire settings both ends must use: free-form JSON ({@code args}, {@code options}, tool
     * {@code input}) keeps integers as {@code Long} instead of turning them into doubles.
     * Pass it to {@code Launcher.Builder.configureGson}.
     */
    public static void configureGson(GsonBuilder builder) {
        builder.setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE);
    }
}
