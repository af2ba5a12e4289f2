package dev.loopwire.providers.cli.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Removes secrets from text that leaves a provider (error messages, log lines): the values of
 * environment variables named like keys, tokens, secrets or passwords, and well-known key
 * formats.
 */
public final class Redactor {

    /** What a secret is replaced with. */
    public static final String MASK = "[redacted]";

    private static final Pattern SECRET_NAME =
            Pattern.compile(".*(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH).*");
    private static final List<Pattern> KNOWN_FORMATS = List.of(
            Pattern.compile("sk-[A-Za-z0-9_\\-]{16,}"),
            Pattern.compile("(?:ghp|gho|ghu|ghs|github_pat)_[A-Za-z0-9_]{20,}"),
            Pattern.compile("xox[abprs]-[A-Za-z0-9\\-]{10,}"),
            Pattern.compile("AKIA[0-9A-Z]{16}"),
            Pattern.compile("AIza[0-9A-Za-z_\\-]{30,}"),
            Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._\\-]{12,}"));

    private final List<String> values;

    /** A redactor for the secret values found in {@code environment}. */
    public Redactor(Map<String, String> environment) {
        List<String> found = new ArrayList<>();
        if (environment != null) {
            for (Map.Entry<String, String> e : environment.entrySet()) {
                String value = e.getValue();
                if (value != null && value.length() >= 8
                        && SECRET_NAME.matcher(e.getKey().toUpperCase(Locale.ROOT)).matches()) {
                    found.add(value);
                }
            }
        }
        found.sort(Comparator.comparingInt(String::length).reversed());
        this.values = List.copyOf(found);
    }

    /** {@code text} with every secret replaced by {@link #MASK}. */
    public String apply(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String v : values) {
            out = out.replace(v, MASK);
        }
        for (Pattern p : KNOWN_FORMATS) {
            out = p.matcher(out).replaceAll(m -> m.groupCount() > 0 && m.group(1) != null
                    ? java.util.regex.Matcher.quoteReplacement(m.group(1) + MASK) : MASK);
        }
        return out;
    }

    /** At most {@code max} characters, cut with an ellipsis. */
    public static String abbreviate(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
