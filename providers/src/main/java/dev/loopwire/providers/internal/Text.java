package dev.loopwire.providers.internal;

import dev.loopwire.engine.tools.Redactor;
import java.util.regex.Pattern;

/**
 * Short, secret-free text for error messages and log lines: secrets are removed by the engine's
 * {@link Redactor} (the one redactor of Loopwire), then the text is cut to a bounded length.
 */
public final class Text {

    /**
     * An API key as a server echoes it back masked, e.g. OpenAI's 401 body "Incorrect API key
     * provided: sk-abc12***************wxyz": its visible prefix is too short for the
     * {@link Redactor}'s key formats, so an excerpt of an error body masks it here.
     */
    private static final Pattern MASKED_KEY_ECHO = Pattern.compile("\\bsk-[A-Za-z0-9_\\-]*\\*{3,}[A-Za-z0-9_\\-]*");

    private Text() {
    }

    /** At most {@code max} characters, cut with an ellipsis; null becomes "". */
    public static String abbreviate(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    /**
     * {@code text} redacted, with whitespace runs collapsed to one space and cut to {@code max}
     * characters (with "..."); "" for null or blank text.
     */
    public static String excerpt(Redactor redactor, String text, int max) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String redacted = MASKED_KEY_ECHO.matcher(redactor.redact(text)).replaceAll(Redactor.REPLACEMENT);
        String flat = redacted.replaceAll("\\s+", " ").trim();
        return flat.length() <= max ? flat : flat.substring(0, max) + "...";
    }
}
