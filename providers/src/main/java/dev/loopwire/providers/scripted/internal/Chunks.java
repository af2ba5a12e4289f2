package dev.loopwire.providers.scripted.internal;

import java.util.ArrayList;
import java.util.List;

/** Splits text into streaming chunks whose concatenation is the text, exactly. */
final class Chunks {

    private static final int MIN_CHUNKS = 3;

    private Chunks() {
    }

    /**
     * One chunk per word with its following whitespace; text of fewer than three words is cut
     * into three pieces (fewer only when it has fewer than three characters).
     */
    static List<String> split(String text) {
        List<String> chunks = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return chunks;
        }
        int start = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            // a word, then the whitespace after it
            while (i < n && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            chunks.add(text.substring(start, i));
            start = i;
        }
        if (chunks.size() >= MIN_CHUNKS) {
            return chunks;
        }
        chunks.clear();
        int codePoints = text.codePointCount(0, n);
        int pieces = Math.min(MIN_CHUNKS, codePoints);
        int from = 0;
        for (int p = 1; p <= pieces; p++) {
            int to = p == pieces ? n : text.offsetByCodePoints(0, codePoints * p / pieces);
            chunks.add(text.substring(from, to));
            from = to;
        }
        return chunks;
    }
}
