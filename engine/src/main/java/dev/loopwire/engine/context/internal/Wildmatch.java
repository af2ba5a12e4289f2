package dev.loopwire.engine.context.internal;

/**
 * Git's glob dialect for ignore patterns ({@code wildmatch} with {@code WM_PATHNAME}):
 * {@code *} and {@code ?} never match {@code /}; {@code **} between slashes (or at either end)
 * matches any number of directories; {@code [...]} classes with {@code !}/{@code ^} negation,
 * ranges and POSIX classes such as {@code [:digit:]}; a backslash quotes the next character.
 */
final class Wildmatch {

    private Wildmatch() {
    }

    /** Whether {@code text} matches {@code pattern} as a whole. */
    static boolean matches(String pattern, String text) {
        return match(pattern, 0, text, 0) == Result.MATCH;
    }

    private enum Result { MATCH, NO_MATCH, ABORT_ALL, ABORT_TO_DOUBLE_STAR }

    private static Result match(String p, int pi, String t, int ti) {
        int pn = p.length();
        int tn = t.length();
        for (; pi < pn; pi++, ti++) {
            char pc = p.charAt(pi);
            if (ti >= tn && pc != '*') {
                return Result.ABORT_ALL;
            }
            switch (pc) {
                case '\\':
                    pi++;
                    if (pi >= pn || t.charAt(ti) != p.charAt(pi)) {
                        return Result.NO_MATCH;
                    }
                    break;
                case '?':
                    if (t.charAt(ti) == '/') {
                        return Result.NO_MATCH;
                    }
                    break;
                case '*':
                    return star(p, pi, t, ti);
                case '[': {
                    int end = matchClass(p, pi, t.charAt(ti));
                    if (end == -1) {
                        return Result.ABORT_ALL; // unterminated class: nothing matches
                    }
                    if (end < -1) {
                        return Result.NO_MATCH;
                    }
                    pi = end;
                    break;
                }
                default:
                    if (t.charAt(ti) != pc) {
                        return Result.NO_MATCH;
                    }
            }
        }
        return ti >= tn ? Result.MATCH : Result.NO_MATCH;
    }

    private static Result star(String p, int pi, String t, int ti) {
        int pn = p.length();
        int tn = t.length();
        int start = pi;
        while (pi < pn && p.charAt(pi) == '*') {
            pi++;
        }
        boolean matchSlash = false;
        if (pi - start >= 2 && (start == 0 || p.charAt(start - 1) == '/')
                && (pi == pn || p.charAt(pi) == '/')) {
            // "**/" may stand for no directory at all: try the rest of the pattern right here.
            if (pi < pn && match(p, pi + 1, t, ti) == Result.MATCH) {
                return Result.MATCH;
            }
            matchSlash = true;
        }
        if (pi == pn) {
            // a trailing "**" matches everything, a trailing "*" only up to the next slash
            return !matchSlash && t.indexOf('/', ti) >= 0 ? Result.NO_MATCH : Result.MATCH;
        }
        for (; ti < tn; ti++) {
            Result r = match(p, pi, t, ti);
            if (r != Result.NO_MATCH) {
                if (!matchSlash || r != Result.ABORT_TO_DOUBLE_STAR) {
                    return r;
                }
            } else if (!matchSlash && t.charAt(ti) == '/') {
                return Result.ABORT_TO_DOUBLE_STAR;
            }
        }
        return Result.ABORT_ALL;
    }

    /**
     * Matches one character against the class starting at {@code p[pi] == '['}.
     *
     * @return index of the closing bracket when it matches, {@code -1} when the class is not
     *     terminated, {@code -2 - closing} when it does not match
     */
    private static int matchClass(String p, int pi, char c) {
        int pn = p.length();
        int i = pi + 1;
        if (i >= pn) {
            return -1;
        }
        boolean negated = false;
        if (p.charAt(i) == '!' || p.charAt(i) == '^') {
            negated = true;
            i++;
        }
        boolean matched = false;
        char prev = 0;
        boolean first = true;
        while (true) {
            if (i >= pn) {
                return -1;
            }
            char pc = p.charAt(i);
            if (pc == ']' && !first) {
                break;
            }
            first = false;
            if (pc == '\\') {
                i++;
                if (i >= pn) {
                    return -1;
                }
                pc = p.charAt(i);
                if (c == pc) {
                    matched = true;
                }
            } else if (pc == '-' && prev != 0 && i + 1 < pn && p.charAt(i + 1) != ']') {
                i++;
                char hi = p.charAt(i);
                if (hi == '\\') {
                    i++;
                    if (i >= pn) {
                        return -1;
                    }
                    hi = p.charAt(i);
                }
                if (c <= hi && c >= prev) {
                    matched = true;
                }
                pc = 0;
            } else if (pc == '[' && i + 1 < pn && p.charAt(i + 1) == ':') {
                int close = p.indexOf(":]", i + 2);
                if (close < 0) {
                    if (c == '[') {
                        matched = true;
                    }
                } else {
                    String name = p.substring(i + 2, close);
                    Boolean inClass = posixClass(name, c);
                    if (inClass == null) {
                        return -1; // malformed class name: git aborts the whole match
                    }
                    if (inClass) {
                        matched = true;
                    }
                    i = close + 1;
                    pc = 0;
                }
            } else if (c == pc) {
                matched = true;
            }
            prev = pc;
            i++;
        }
        if (c == '/') {
            return -2 - i; // never matches a slash in pathname mode
        }
        return matched != negated ? i : -2 - i;
    }

    private static Boolean posixClass(String name, char c) {
        switch (name) {
            case "alnum": return Character.isLetterOrDigit(c) && c < 128;
            case "alpha": return Character.isLetter(c) && c < 128;
            case "blank": return c == ' ' || c == '\t';
            case "cntrl": return c < 32 || c == 127;
            case "digit": return c >= '0' && c <= '9';
            case "graph": return c > 32 && c < 127;
            case "lower": return c >= 'a' && c <= 'z';
            case "print": return c >= 32 && c < 127;
            case "punct": return c > 32 && c < 127 && !Character.isLetterOrDigit(c);
            case "space": return c == ' ' || (c >= '\t' && c <= '\r');
            case "upper": return c >= 'A' && c <= 'Z';
            case "xdigit": return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            default: return null;
        }
    }
}
