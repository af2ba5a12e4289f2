package dev.loopwire.providers.process.internal;

/**
 * A thread-safe text buffer capped at a number of characters that keeps the head and the tail
 * of what was written and drops the middle, noting how much was dropped.
 */
public final class CappedOutput implements ManagedProcess.OutputHandler {

    private final int headCap;
    private final char[] tail;
    private final StringBuilder head = new StringBuilder();
    private int tailStart;
    private int tailSize;
    private long total;

    /** @param cap the most characters kept (half head, half tail); at least 2 */
    public CappedOutput(int cap) {
        int c = Math.max(2, cap);
        this.headCap = c / 2;
        this.tail = new char[c - headCap];
    }

    @Override
    public synchronized void onText(char[] buf, int off, int len) {
        total += len;
        int i = off;
        int end = off + len;
        if (head.length() < headCap) {
            int n = Math.min(headCap - head.length(), len);
            head.append(buf, i, n);
            i += n;
        }
        for (; i < end; i++) {
            int slot = (tailStart + tailSize) % tail.length;
            tail[slot] = buf[i];
            if (tailSize < tail.length) {
                tailSize++;
            } else {
                tailStart = (tailStart + 1) % tail.length;
            }
        }
    }

    /** Appends a string (for notes written by the runner itself). */
    public void append(String s) {
        char[] chars = s.toCharArray();
        onText(chars, 0, chars.length);
    }

    /** True when characters were dropped. */
    public synchronized boolean truncated() {
        return total > head.length() + tailSize;
    }

    /** All characters ever written, kept or not. */
    public synchronized long totalChars() {
        return total;
    }

    /** The kept text, with a note where the middle was dropped. */
    public synchronized String text() {
        StringBuilder sb = new StringBuilder(head.length() + tailSize + 64);
        sb.append(head);
        long dropped = total - head.length() - tailSize;
        if (dropped > 0) {
            sb.append("\n[... ").append(dropped).append(" characters of output truncated ...]\n");
        }
        for (int k = 0; k < tailSize; k++) {
            sb.append(tail[(tailStart + k) % tail.length]);
        }
        return sb.toString();
    }

    /** The last {@code n} characters of {@link #text()}. */
    public String lastChars(int n) {
        String t = text();
        return t.length() <= n ? t : t.substring(t.length() - n);
    }
}
