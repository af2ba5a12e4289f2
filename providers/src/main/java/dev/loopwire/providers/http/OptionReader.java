package dev.loopwire.providers.http;

import dev.loopwire.engine.spi.ProviderException;
import java.util.Map;

/**
 * Typed reads of {@code provider.options}. Values may arrive as JSON numbers (integer or
 * double), booleans, or strings (from {@code --option key=value} on the command line); a value
 * of the wrong shape is a clear {@link ProviderException.Kind#FATAL} error naming the option.
 */
public final class OptionReader {

    private final Map<String, Object> options;

    public OptionReader(Map<String, Object> options) {
        this.options = options == null ? Map.of() : options;
    }

    /** The raw value, or null. */
    public Object raw(String key) {
        return options.get(key);
    }

    public String string(String key, String fallback) {
        Object value = options.get(key);
        if (value == null) {
            return fallback;
        }
        String text = String.valueOf(value).trim();
        return text.isEmpty() ? fallback : text;
    }

    public long longValue(String key, long fallback, long min, long max) throws ProviderException {
        double value = number(key, fallback);
        if (value != Math.rint(value) || value < min || value > max) {
            throw bad(key, "a whole number between " + min + " and " + max);
        }
        return (long) value;
    }

    public int intValue(String key, int fallback, int min, int max) throws ProviderException {
        return (int) longValue(key, fallback, min, max);
    }

    public double doubleValue(String key, double fallback, double min, double max) throws ProviderException {
        double value = number(key, fallback);
        if (Double.isNaN(value) || value < min || value > max) {
            throw bad(key, "a number between " + min + " and " + max);
        }
        return value;
    }

    public boolean bool(String key, boolean fallback) throws ProviderException {
        Object value = options.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = String.valueOf(value).trim().toLowerCase(java.util.Locale.ROOT);
        if (text.equals("true")) {
            return true;
        }
        if (text.equals("false")) {
            return false;
        }
        throw bad(key, "true or false");
    }

    private double number(String key, double fallback) throws ProviderException {
        Object value = options.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw bad(key, "a number");
        }
    }

    private ProviderException bad(String key, String expected) {
        Object value = options.get(key);
        String shown = String.valueOf(value);
        if (shown.length() > 40) {
            shown = shown.substring(0, 40) + "...";
        }
        return new ProviderException(ProviderException.Kind.FATAL,
                "option " + key + " must be " + expected + ", got '" + shown + "'");
    }
}
