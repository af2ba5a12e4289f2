package dev.loopwire.engine.internal;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

/** Loop and approval ids: sortable by creation time, unique, unguessable where it matters. */
public final class LoopIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private LoopIds() {
    }

    /** e.g. {@code 20261122-020501-hello-7f3a}. */
    public static String loopId(Instant now, String name) {
        String slug = slug(name);
        return TIME.format(now) + (slug.isEmpty() ? "" : "-" + slug) + "-" + randomHex(2);
    }

    /** A fresh approval id: 128 random bits. */
    public static String approvalId() {
        return "ap-" + randomHex(16);
    }

    static String slug(String text) {
        if (text == null) {
            return "";
        }
        String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 24) {
            s = s.substring(0, 24).replaceAll("-+$", "");
        }
        return s;
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
