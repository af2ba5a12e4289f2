package dev.loopwire.providers.cli.internal;

import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.protocol.ProviderInfo;
import dev.loopwire.providers.ProviderConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the CLI providers share: finding the binary, availability, environment and timeouts. */
public final class CliSetup {

    /** Default limit for one agent turn. */
    public static final double DEFAULT_TIMEOUT_SECONDS = 3600;
    /** Default time between SIGTERM and SIGKILL. */
    public static final double DEFAULT_KILL_GRACE_SECONDS = 2;

    private CliSetup() {
    }

    /** The server's environment for the child, or the JVM's when the context has none. */
    public static Map<String, String> environment(ProviderContext context) {
        return context.environment() != null ? context.environment() : System.getenv();
    }

    /** The child's complete environment: the context's plus {@code options.env}. */
    public static Map<String, String> childEnvironment(ProviderContext context, CliOptions options)
            throws ProviderException {
        Map<String, String> env = new LinkedHashMap<>(environment(context));
        env.putAll(options.stringMap("env"));
        return env;
    }

    /** Why a binary is missing, and how to fix it. */
    public static String missing(String id, String binary, boolean configured, String installHint) {
        if (configured) {
            return binary + " (providers." + id + ".binary) is not an executable file; " + installHint
                    + " or fix providers." + id + ".binary in ~/.config/loopwire/config.json";
        }
        return binary + " not found on PATH; " + installHint + " or set providers." + id
                + ".binary in ~/.config/loopwire/config.json";
    }

    /** The resolved binary or an UNAVAILABLE error that says how to get it. */
    public static Path requireBinary(String id, String defaultBinary, String installHint, CliOptions options,
            Map<String, String> environment) throws ProviderException {
        String binary = options.string("binary", defaultBinary);
        Optional<Path> found = Binaries.resolve(binary, environment);
        if (found.isEmpty()) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE,
                    missing(id, binary, !binary.equals(defaultBinary), installHint));
        }
        return found.get();
    }

    /**
     * Availability of a CLI provider: its binary (from {@code providers.<id>.binary} in the
     * config, else {@code defaultBinary} on PATH). Reads two small files; starts nothing.
     */
    public static ProviderInfo describe(String id, String defaultBinary, String installHint, String what,
            List<String> models, ProviderContext context) {
        Map<String, Object> configured;
        try {
            configured = ProviderConfig.load(context).providerOptions(id);
        } catch (ProviderConfig.ConfigException e) {
            return new ProviderInfo(id, false, e.getMessage(), models);
        }
        Object b = configured.get("binary");
        String binary = b instanceof String s && !s.isBlank() ? s : defaultBinary;
        Optional<Path> found = Binaries.resolve(binary, environment(context));
        if (found.isEmpty()) {
            return new ProviderInfo(id, false, missing(id, binary, !binary.equals(defaultBinary), installHint), models);
        }
        return new ProviderInfo(id, true, what + " at " + found.get(), models);
    }

    public static Duration timeout(CliOptions options) throws ProviderException {
        return Duration.ofMillis(Math.round(options.positive("timeoutSeconds", DEFAULT_TIMEOUT_SECONDS) * 1000));
    }

    public static Duration killGrace(CliOptions options) throws ProviderException {
        return Duration.ofMillis(Math.round(options.positive("killGraceSeconds", DEFAULT_KILL_GRACE_SECONDS) * 1000));
    }

    /** The text a CLI agent gets: the system instructions, a blank line, the prompt. */
    public static String fullPrompt(String system, String prompt) {
        String p = prompt == null ? "" : prompt;
        return system == null || system.isBlank() ? p : system.strip() + "\n\n" + p;
    }

    /** A failure message that looks like a rate or usage limit. */
    public static boolean looksRateLimited(String message) {
        String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("rate limit") || m.contains("rate_limit") || m.contains("usage limit")
                || m.contains("too many requests") || m.contains(" 429");
    }
}
