package dev.loopwire.engine.tools;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it is written to journals, events, logs or error messages:
 * the values of an environment's secret variables ({@link Environments#isSecretName}, values of
 * at least {@value #MIN_SECRET_LENGTH} characters, also in their JSON-escaped form) and tokens in
 * well-known key formats (OpenAI {@code sk-...}, Anthropic {@code sk-ant-...}, GitHub
 * {@code ghp_...}/{@code github_pat_...}, Slack {@code xox?-...}, AWS {@code AKIA...}/
 * {@code ASIA...}, Google {@code AIza...}, and a token with a digit after {@code Bearer}) are replaced by
 * {@value #REPLACEMENT}. All patterns are compiled once, into one regular expression; an
 * instance is immutable and thread-safe.
 */
public final class Redactor {

    /** What a secret is replaced with. */
    public static final String REPLACEMENT = "[REDACTED]";

    /** Shorter values of secret variables are not redacted (they would match too much text). */
    public static final int MIN_SECRET_LENGTH = 8;

    private static final String NOT_AFTER_TOKEN_CHAR = "(?<![A-Za-z0-9_\\-])";

    /** Key formats; group "keep" (when present) is kept in front of the replacement. */
    private static final List<String> KNOWN_FORMATS = List.of(
            NOT_AFTER_TOKEN_CHAR + "sk-ant-[A-Za-z0-9_\\-]{16,}",
            NOT_AFTER_TOKEN_CHAR + "sk-(?=[A-Za-z0-9_\\-]*[0-9])[A-Za-z0-9_\\-]{20,}",
            NOT_AFTER_TOKEN_CHAR + "gh[pousr]_[A-Za-z0-9]{20,}",
            NOT_AFTER_TOKEN_CHAR + "github_pat_[A-Za-z0-9_]{20,}",
            NOT_AFTER_TOKEN_CHAR + "xox[abposr]-[A-Za-z0-9\\-]{10,}",
            "(?<![A-Z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Z0-9])",
            NOT_AFTER_TOKEN_CHAR + "AIza[0-9A-Za-z_\\-]{35}",
            "(?<keep>(?i:\\bBearer)\\s+)(?=[A-Za-z._~+/=\\-]*[0-9])[A-Za-z0-9._~+/=\\-]{8,}");

    private static final Redactor KNOWN_FORMATS_ONLY = new Redactor(List.of());

    private final Pattern pattern;

    private Redactor(Collection<String> secretValues) {
        Set<String> values = new LinkedHashSet<>();
        for (String value : secretValues) {
            if (value != null && value.length() >= MIN_SECRET_LENGTH) {
                values.add(value);
                String escaped = jsonEscaped(value);
                if (!escaped.equals(value)) {
                    values.add(escaped);
                }
            }
        }
        List<String> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.comparingInt(String::length).reversed()); // longest first wins
        StringBuilder regex = new StringBuilder();
        for (String value : sorted) {
            regex.append(Pattern.quote(value)).append('|');
        }
        regex.append(String.join("|", KNOWN_FORMATS));
        this.pattern = Pattern.compile(regex.toString());
    }

    /** Redacts the known key formats and the values of {@code environment}'s secret variables. */
    public static Redactor fromEnvironment(Map<String, String> environment) {
        return withSecrets(environment, List.of());
    }

    /**
     * Redacts the known key formats, the values of {@code environment}'s secret variables, and
     * {@code extraSecrets} (e.g. an API key given in a provider's options).
     */
    public static Redactor withSecrets(Map<String, String> environment, Collection<String> extraSecrets) {
        List<String> values = new ArrayList<>();
        if (environment != null) {
            for (Map.Entry<String, String> entry : environment.entrySet()) {
                if (Environments.isSecretName(entry.getKey())) {
                    values.add(entry.getValue());
                }
            }
        }
        if (extraSecrets != null) {
            values.addAll(extraSecrets);
        }
        return values.isEmpty() ? KNOWN_FORMATS_ONLY : new Redactor(values);
    }

    /** Redacts the known key formats only. */
    public static Redactor knownFormats() {
        return KNOWN_FORMATS_ONLY;
    }

    /** {@code text} with every secret replaced by {@value #REPLACEMENT}; null stays null. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        do {
            out.append(text, last, matcher.start());
            String keep = matcher.group("keep");
            if (keep != null) {
                out.append(keep);
            }
            out.append(REPLACEMENT);
            last = matcher.end();
        } while (matcher.find());
        out.append(text, last, text.length());
        return out.toString();
    }

    /** Whether {@code text} contains anything this redactor would replace. */
    public boolean containsSecret(String text) {
        return text != null && pattern.matcher(text).find();
    }

    private static String jsonEscaped(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
