package dev.loopwire.providers.cli.internal;

import dev.loopwire.engine.spi.ProviderException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed access to a CLI provider's {@code options}, with errors that name the option. */
public final class CliOptions {

    private final String provider;
    private final Map<String, Object> options;

    public CliOptions(String provider, Map<String, Object> options) {
        this.provider = provider;
        this.options = options == null ? Map.of() : options;
    }

    public Map<String, Object> raw() {
        return options;
    }

    public String string(String key, String fallback) throws ProviderException {
        Object v = options.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            throw bad(key, "a string");
        }
        return s.isBlank() ? fallback : s;
    }

    public boolean bool(String key, boolean fallback) throws ProviderException {
        Object v = options.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Boolean b)) {
            throw bad(key, "true or false");
        }
        return b;
    }

    /** A positive number, or the fallback. */
    public double positive(String key, double fallback) throws ProviderException {
        Object v = options.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n) || n.doubleValue() <= 0) {
            throw bad(key, "a number greater than 0");
        }
        return n.doubleValue();
    }

    /** A list of strings; a single string is a list of one. */
    public List<String> strings(String key) throws ProviderException {
        Object v = options.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof String s) {
            return s.isBlank() ? List.of() : List.of(s);
        }
        if (!(v instanceof List<?> list)) {
            throw bad(key, "a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw bad(key, "a list of strings");
            }
            out.add(s);
        }
        return out;
    }

    /** An object of string values (numbers and booleans are turned into text). */
    public Map<String, String> stringMap(String key) throws ProviderException {
        Object v = options.get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw bad(key, "an object of names to string values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object value = e.getValue();
            if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                throw bad(key + "." + e.getKey(), "a string");
            }
            out.put(String.valueOf(e.getKey()), String.valueOf(value));
        }
        return out;
    }

    private ProviderException bad(String key, String what) {
        return new ProviderException(ProviderException.Kind.FATAL,
                provider + ": options." + key + " must be " + what);
    }
}
