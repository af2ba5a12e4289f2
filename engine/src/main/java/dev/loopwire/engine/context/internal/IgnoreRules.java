package dev.loopwire.engine.context.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The patterns of one ignore file ({@code .gitignore} or {@code .git/info/exclude}), parsed the
 * way git parses them: blank lines and {@code #} comments skipped, unescaped trailing spaces
 * trimmed, {@code !} negates, a trailing {@code /} matches directories only, a pattern without
 * an inner or leading slash matches a name at any depth, any other pattern is anchored to the
 * file's directory.
 */
public final class IgnoreRules {

    /** What the rules of one file say about a path. */
    public enum Verdict { IGNORED, NOT_IGNORED, NO_OPINION }

    private final Pattern[] patterns;

    private IgnoreRules(List<Pattern> patterns) {
        this.patterns = patterns.toArray(new Pattern[0]);
    }

    /** Parses the text of an ignore file. */
    public static IgnoreRules parse(String text) {
        List<Pattern> list = new ArrayList<>();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        for (String raw : text.split("\r?\n", -1)) {
            Pattern p = Pattern.parse(raw);
            if (p != null) {
                list.add(p);
            }
        }
        return new IgnoreRules(list);
    }

    /** Whether there are no patterns at all. */
    public boolean isEmpty() {
        return patterns.length == 0;
    }

    /**
     * The verdict of the last pattern that matches.
     *
     * @param relative the path relative to the ignore file's directory, {@code /}-separated
     * @param name its last segment
     * @param directory whether the path is a directory
     */
    public Verdict check(String relative, String name, boolean directory) {
        for (int i = patterns.length - 1; i >= 0; i--) {
            Pattern p = patterns[i];
            if (p.matches(relative, name, directory)) {
                return p.negated ? Verdict.NOT_IGNORED : Verdict.IGNORED;
            }
        }
        return Verdict.NO_OPINION;
    }

    /** One compiled pattern. */
    static final class Pattern {
        private enum Kind { LITERAL, SUFFIX, GLOB }

        final boolean negated;
        final boolean directoryOnly;
        final boolean basenameOnly;
        final Kind kind;
        final String text;

        private Pattern(boolean negated, boolean directoryOnly, boolean basenameOnly, String text) {
            this.negated = negated;
            this.directoryOnly = directoryOnly;
            this.basenameOnly = basenameOnly;
            if (!hasWildcard(text, 0)) {
                this.kind = Kind.LITERAL;
                this.text = text;
            } else if (basenameOnly && text.length() > 1 && text.charAt(0) == '*'
                    && !hasWildcard(text, 1)) {
                this.kind = Kind.SUFFIX;
                this.text = text.substring(1);
            } else {
                this.kind = Kind.GLOB;
                this.text = text;
            }
        }

        static Pattern parse(String line) {
            String s = trimTrailingSpaces(line);
            if (s.isEmpty() || s.charAt(0) == '#') {
                return null;
            }
            boolean negated = false;
            if (s.charAt(0) == '!') {
                negated = true;
                s = s.substring(1);
            }
            boolean directoryOnly = false;
            if (s.endsWith("/")) {
                directoryOnly = true;
                s = s.substring(0, s.length() - 1);
            }
            if (s.isEmpty()) {
                return null;
            }
            boolean basenameOnly = s.indexOf('/') < 0;
            if (s.charAt(0) == '/') {
                s = s.substring(1);
                if (s.isEmpty()) {
                    return null;
                }
            }
            return new Pattern(negated, directoryOnly, basenameOnly, s);
        }

        boolean matches(String relative, String name, boolean directory) {
            if (directoryOnly && !directory) {
                return false;
            }
            String subject = basenameOnly ? name : relative;
            switch (kind) {
                case LITERAL:
                    return subject.equals(text);
                case SUFFIX:
                    return subject.endsWith(text);
                default:
                    return Wildmatch.matches(text, subject);
            }
        }

        private static boolean hasWildcard(String s, int from) {
            for (int i = from; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '*' || c == '?' || c == '[' || c == '\\') {
                    return true;
                }
            }
            return false;
        }

        private static String trimTrailingSpaces(String s) {
            int end = s.length();
            while (end > 0 && s.charAt(end - 1) == ' ') {
                // a space quoted by an (unquoted) backslash stays
                int backslashes = 0;
                for (int i = end - 2; i >= 0 && s.charAt(i) == '\\'; i--) {
                    backslashes++;
                }
                if (backslashes % 2 == 1) {
                    break;
                }
                end--;
            }
            return s.substring(0, end);
        }
    }
}
