package dev.loopwire.intellij.core.ui;

import java.util.Locale;

/** Number formats shared by the panels. */
final class Formats {

    private Formats() {
    }

    static String tokens(long n) {
        if (n < 1_000) {
            return Long.toString(n);
        }
        if (n < 1_000_000) {
            return String.format(Locale.ROOT, "%.1fk", n / 1_000.0);
        }
        return String.format(Locale.ROOT, "%.2fM", n / 1_000_000.0);
    }

    static String cost(Double usd) {
        if (usd == null) {
            return "$\u2013";
        }
        return usd < 1 ? String.format(Locale.ROOT, "$%.4f", usd) : String.format(Locale.ROOT, "$%.2f", usd);
    }

    static String seconds(double s) {
        long t = Math.round(s);
        if (t < 60) {
            return t + "s";
        }
        if (t < 3600) {
            return (t / 60) + "m " + (t % 60) + "s";
        }
        return (t / 3600) + "h " + ((t % 3600) / 60) + "m";
    }
}
