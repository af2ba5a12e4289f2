package dev.loopwire.engine.tools;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
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
 * {@code ASIA...}, Google {@code AIza...}, and a token with a digit after {@code Bearer}) are
 * replaced by {@value #REPLACEMENT}.
 *
 * <p>It is built for being called on every journal line: patterns are compiled once, and one pass
 * over the text looks only where a secret value can start (a bit set of the values' first two
 * characters) or a key format can start (its first characters), and only there compares
 * values or runs the format's pattern. Text without secrets is returned as the same object.
 * An instance is immutable and thread-safe.
 */
public final class Redactor {

    /** What a secret is replaced with. */
    public static final String REPLACEMENT = "[REDACTED]";

    /** Shorter values of secret variables are not redacted (they would match too much text). */
    public static final int MIN_SECRET_LENGTH = 8;

    private static final String TOKEN_CHARS = "A-Za-z0-9_\\-";

    /** Key formats, tried only where the text starts with one of their first characters. */
    private static final Pattern KEY_FORMAT = Pattern.compile(String.join("|",
            "sk-ant-[" + TOKEN_CHARS + "]{16,}",
            "sk-(?=[" + TOKEN_CHARS + "]*[0-9])[" + TOKEN_CHARS + "]{20,}",
            "gh[pousr]_[A-Za-z0-9]{20,}",
            "github_pat_[A-Za-z0-9_]{20,}",
            "xox[abposr]-[A-Za-z0-9\\-]{10,}",
            "(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Z0-9])",
            "AIza[0-9A-Za-z_\\-]{35}",
            "(?<keep>(?i:Bearer)\\s+)(?=[A-Za-z._~+/=\\-]*[0-9])[A-Za-z0-9._~+/=\\-]{8,}"));

    private static final Redactor KNOWN_FORMATS_ONLY = new Redactor(List.of());

    /** Bit {@code pairHash(a, b)} is set when a secret value starts with the characters a, b. */
    private final long[] pairBits = new long[1024];
    /** Secret values (and their JSON-escaped forms) by the hash of their first two characters, longest first. */
    private final Map<Integer, String[]> valuesByPair = new HashMap<>();

    private Redactor(Collection<String> secretValues) {
        Set<String> distinct = new LinkedHashSet<>();
        for (String value : secretValues) {
            if (value != null && value.length() >= MIN_SECRET_LENGTH) {
                distinct.add(value);
                distinct.add(jsonEscaped(value));
            }
        }
        Map<Integer, List<String>> byPair = new HashMap<>();
        distinct.stream()
                .sorted((a, b) -> Integer.compare(b.length(), a.length()))
                .forEach(value -> byPair.computeIfAbsent(pairHash(value.charAt(0), value.charAt(1)),
                        h -> new ArrayList<>()).add(value));
        byPair.forEach((hash, list) -> {
            pairBits[hash >>> 6] |= 1L << (hash & 63);
            valuesByPair.put(hash, list.toArray(String[]::new));
        });
    }

    private static int pairHash(char first, char second) {
        return (first * 31 + second) & 0xFFFF;
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
        List<String> found = new ArrayList<>();
        if (environment != null) {
            for (Map.Entry<String, String> entry : environment.entrySet()) {
                if (Environments.isSecretName(entry.getKey())) {
                    found.add(entry.getValue());
                }
            }
        }
        if (extraSecrets != null) {
            found.addAll(extraSecrets);
        }
        return found.isEmpty() ? KNOWN_FORMATS_ONLY : new Redactor(found);
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
        Ranges ranges = find(text, false);
        if (ranges.count == 0) {
            return text;
        }
        ranges.sort();
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        for (int i = 0; i < ranges.count; i++) {
            int start = ranges.starts[i];
            int end = ranges.ends[i];
            if (end <= last) {
                continue; // inside a range already replaced
            }
            if (start < last) {
                // overlaps the previous range: extend it
                last = end;
                continue;
            }
            out.append(text, last, start);
            out.append(text, start, start + ranges.kept[i]);
            out.append(REPLACEMENT);
            last = end;
        }
        out.append(text, last, text.length());
        return out.toString();
    }

    /**
     * For text that arrives in pieces (a model's stream): how many characters at the end of
     * {@code text} may be the beginning of a secret that the next piece completes, and so should
     * be held back until it comes: the longest end of {@code text} that starts a secret value,
     * and the last word (or "Bearer" and the word after it) when a key format could still match
     * it with more characters. 0 when everything can be redacted and sent now.
     */
    public int heldTail(CharSequence text) {
        String t = text.toString();
        int length = t.length();
        int held = 0;
        for (String[] values : valuesByPair.values()) {
            for (String value : values) {
                for (int k = Math.min(value.length() - 1, length); k > held; k--) {
                    if (value.regionMatches(0, t, length - k, k)) {
                        held = k;
                        break;
                    }
                }
            }
        }
        int word = length;
        while (word > 0 && isTokenChar(t.charAt(word - 1))) {
            word--;
        }
        int previous = word;
        while (previous > 0 && Character.isWhitespace(t.charAt(previous - 1))) {
            previous--;
        }
        int previousStart = previous;
        while (previousStart > 0 && isTokenChar(t.charAt(previousStart - 1))) {
            previousStart--;
        }
        Matcher matcher = KEY_FORMAT.matcher(t);
        for (int start : new int[] {previousStart, word}) {
            if (start >= length || length - start <= held) {
                continue;
            }
            matcher.region(start, length);
            matcher.lookingAt();
            if (matcher.hitEnd()) {
                held = length - start;
                break;
            }
        }
        return held;
    }

    /** Whether {@code text} contains anything this redactor would replace. */
    public boolean containsSecret(String text) {
        return text != null && !text.isEmpty() && find(text, true).count > 0;
    }

    private Ranges find(String text, boolean firstOnly) {
        Ranges ranges = new Ranges();
        Matcher matcher = null;
        int length = text.length();
        boolean anyValues = !valuesByPair.isEmpty();
        for (int i = 0; i < length; i++) {
            if (anyValues && i + 1 < length) {
                int hash = pairHash(text.charAt(i), text.charAt(i + 1));
                if ((pairBits[hash >>> 6] & (1L << (hash & 63))) != 0) {
                    for (String value : valuesByPair.get(hash)) {
                        if (text.startsWith(value, i)) {
                            ranges.add(i, i + value.length(), 0);
                            if (firstOnly) {
                                return ranges;
                            }
                            break; // the longest value here; later positions are still looked at,
                                   // so a secret that starts inside this one is found too
                        }
                    }
                }
            }
            if (!mayStartKey(text, i)) {
                continue;
            }
            if (matcher == null) {
                matcher = KEY_FORMAT.matcher(text);
            }
            matcher.region(i, length);
            if (matcher.lookingAt()) {
                int keep = matcher.group("keep") == null ? 0 : matcher.group("keep").length();
                ranges.add(i, matcher.end(), keep);
                if (firstOnly) {
                    return ranges;
                }
            }
        }
        return ranges;
    }

    /** A cheap test that a key format may start at {@code i} (and not in the middle of a token). */
    private static boolean mayStartKey(String text, int i) {
        char c = text.charAt(i);
        switch (c) {
            case 's', 'g', 'x', 'A' -> {
                if (i > 0 && isTokenChar(text.charAt(i - 1))) {
                    return false;
                }
                return switch (c) {
                    case 's' -> text.startsWith("sk-", i);
                    case 'g' -> text.startsWith("gh", i) || text.startsWith("github_pat_", i);
                    case 'x' -> text.startsWith("xox", i);
                    default -> text.startsWith("AKIA", i) || text.startsWith("ASIA", i) || text.startsWith("AIza", i);
                };
            }
            case 'B', 'b' -> {
                return (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))
                        && text.regionMatches(true, i, "bearer", 0, 6);
            }
            default -> {
                return false;
            }
        }
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
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

    /** Found ranges: start, end, and how many leading characters to keep (the "Bearer " word). */
    private static final class Ranges {
        int[] starts = new int[4];
        int[] ends = new int[4];
        int[] kept = new int[4];
        int count;

        void add(int start, int end, int keep) {
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
                kept = Arrays.copyOf(kept, count * 2);
            }
            starts[count] = start;
            ends[count] = end;
            kept[count] = keep;
            count++;
        }

        /** Sorts by start (overlaps are merged by {@link #redact}, in any order). */
        void sort() {
            long[] keys = new long[count];
            for (int i = 0; i < count; i++) {
                keys[i] = ((long) starts[i] << 32) | i;
            }
            Arrays.sort(keys);
            int[] s = new int[count];
            int[] e = new int[count];
            int[] k = new int[count];
            for (int i = 0; i < count; i++) {
                int from = (int) keys[i];
                s[i] = starts[from];
                e[i] = ends[from];
                k[i] = kept[from];
            }
            starts = s;
            ends = e;
            kept = k;
        }
    }
}
