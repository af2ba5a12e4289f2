package dev.loopwire.providers.http;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes secrets from text that may be shown or recorded: the provider's own API key wherever it
 * appears, and anything shaped like a well-known key or bearer token.
 */
public final class Redaction {

    private static final Pattern KEY_SHAPES = Pattern.compile(
            "\\b(sk-ant-[A-Za-z0-9_\\-]{4,}|sk-or-[A-Za-z0-9_\\-]{4,}|sk-[A-Za-z0-9_\\-*]{6,}"
                    + "|(?i:bearer)\\s+[A-Za-z0-9._\\-~+/=]{8,})");
    private static final String MASK = "[redacted]";

    private final List<String> secrets;

    public Redaction(Collection<String> secrets) {
        List<String> list = new ArrayList<>();
        for (String s : secrets) {
            if (s != null && s.length() >= 4) {
                list.add(s);
            }
        }
        this.secrets = List.copyOf(list);
    }

    /** A redaction that knows no particular secret (only the general key shapes). */
    public static Redaction none() {
        return new Redaction(List.of());
    }

    public String apply(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return KEY_SHAPES.matcher(out).replaceAll(MASK);
    }

    /** Redacts, collapses whitespace and cuts to {@code max} characters. */
    public String excerpt(String text, int max) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String flat = apply(text).replaceAll("\\s+", " ").trim();
        return flat.length() <= max ? flat : flat.substring(0, max) + "...";
    }
}
