package dev.loopwire.engine.internal;

import java.util.regex.Pattern;

/**
 * Globs for approval rules, matched against a whole command or path: {@code *} and {@code **}
 * match any run of characters (slashes and spaces included), {@code ?} one character.
 */
public final class Glob {

    private Glob() {
    }

    public static boolean matches(String glob, String text) {
        if (glob == null || glob.isEmpty()) {
            return true;
        }
        return toRegex(glob).matcher(text == null ? "" : text).matches();
    }

    static Pattern toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
