package dev.loopwire.engine.tools.internal;

/**
 * A text that throws {@link DeadlineCharSequence.Expired} when read after a deadline or after the
 * thread was interrupted, so that a regular expression with catastrophic backtracking cannot hold
 * a loop's thread for ever.
 */
final class DeadlineCharSequence implements CharSequence {

    /** The deadline passed, or the thread was interrupted, while matching. */
    static final class Expired extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Expired() {
            super("regular expression took too long", null, false, false);
        }
    }

    private final CharSequence text;
    private final long deadlineNanos;
    private int reads;

    DeadlineCharSequence(CharSequence text, long deadlineNanos) {
        this.text = text;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public char charAt(int index) {
        if ((++reads & 0xFFF) == 0
                && (System.nanoTime() - deadlineNanos > 0 || Thread.currentThread().isInterrupted())) {
            throw new Expired();
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new DeadlineCharSequence(text.subSequence(start, end), deadlineNanos);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
