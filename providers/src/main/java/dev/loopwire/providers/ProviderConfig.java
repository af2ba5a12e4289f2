package dev.loopwire.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.providers.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Provider defaults from the user's {@code ~/.config/loopwire/config.json} and the workspace's
 * {@code <workspace>/.loopwire/config.json}; where both set a value the workspace wins (objects
 * are merged key by key, other values replaced). The provider-related keys:
 *
 * <pre>{@code
 * {
 *   "provider":  {"id": "claude-code", "model": "sonnet", "options": {...}},   // the default provider
 *   "providers": {"claude-code": {"binary": "/opt/claude/bin/claude"},         // options per provider id
 *                 "openai": {"baseUrl": "http://127.0.0.1:8000/v1", "model": "gpt-4o"}}
 * }
 * }</pre>
 *
 * A loop's own {@code provider.options} are merged over {@code providers.<id>} (the loop wins);
 * a {@code model} under {@code providers.<id>} is the model when the loop names none. A top-level
 * {@code "pricing": {"model": {"input": 1.0, "output": 2.0}}} is merged under every provider's
 * {@code pricing} option ({@code providers.<id>.pricing} and the loop's own win, model by model and
 * field by field). Other
 * top-level keys belong to other parts of Loopwire and can be read with {@link #section}.
 */
public final class ProviderConfig {

    /** The file name in both places. */
    public static final String FILE_NAME = "config.json";

    private static final ProviderConfig EMPTY = new ProviderConfig(Map.of(), List.of());

    private final Map<String, Object> merged;
    private final List<Path> sources;

    private ProviderConfig(Map<String, Object> merged, List<Path> sources) {
        this.merged = merged;
        this.sources = sources;
    }

    /** No configuration at all. */
    public static ProviderConfig empty() {
        return EMPTY;
    }

    /** The user config file of a context, or null when it has no config directory. */
    public static Path userFile(ProviderContext context) {
        return context.userConfigDir() == null ? null : context.userConfigDir().resolve(FILE_NAME);
    }

    /** The workspace config file of a context, or null when it has no workspace. */
    public static Path workspaceFile(ProviderContext context) {
        return context.workspace() == null ? null : context.workspace().resolve(".loopwire").resolve(FILE_NAME);
    }

    /**
     * Reads the user and the workspace config of {@code context}; missing files are fine.
     *
     * @throws ConfigException when a file exists but is not valid (the message names the file
     *                         and the key)
     */
    public static ProviderConfig load(ProviderContext context) {
        return load(userFile(context), workspaceFile(context));
    }

    /** Reads config files, later ones winning; null or missing files are skipped. */
    public static ProviderConfig load(Path... files) {
        Map<String, Object> merged = new LinkedHashMap<>();
        List<Path> sources = new ArrayList<>();
        for (Path file : files) {
            if (file == null) {
                continue;
            }
            Map<String, Object> one = read(file);
            if (one != null) {
                validate(file, one);
                merged = deepMerge(merged, one);
                sources.add(file);
            }
        }
        return sources.isEmpty() ? EMPTY : new ProviderConfig(merged, List.copyOf(sources));
    }

    /** The files that were read, user first. */
    public List<Path> sources() {
        return sources;
    }

    /** The default provider ({@code provider}), if the config names one. */
    public Optional<ProviderSpec> defaultProvider() {
        Map<String, Object> p = map(merged.get("provider"));
        Object id = p.get("id");
        if (!(id instanceof String s) || s.isBlank()) {
            return Optional.empty();
        }
        Object model = p.get("model");
        return Optional.of(new ProviderSpec(s, model instanceof String m ? m : null, map(p.get("options"))));
    }

    /** The options configured for a provider id ({@code providers.<id>}), empty when none. */
    public Map<String, Object> providerOptions(String id) {
        return map(map(merged.get("providers")).get(id));
    }

    /**
     * The loop's spec with the configured options of its provider merged under its own options
     * (the loop wins) and the configured model filled in when the loop names none.
     */
    public ProviderSpec apply(ProviderSpec spec) {
        Map<String, Object> configured = providerOptions(spec.id());
        Map<String, Object> loopOptions = spec.options() == null ? Map.of() : spec.options();
        Map<String, Object> options = deepMerge(configured, loopOptions);
        Map<String, Object> sharedPricing = section("pricing");
        if (!sharedPricing.isEmpty()) {
            Object own = options.get("pricing");
            Map<String, Object> ownMap = own == null ? Map.of() : pricingObject(own);
            if (ownMap != null) {
                options.put("pricing", deepMerge(sharedPricing, ownMap));
            } // else: not an object; the provider reports the loop's own bad value
        }
        String model = spec.model();
        if (model == null && configured.get("model") instanceof String m && !m.isBlank()) {
            model = m;
        }
        return new ProviderSpec(spec.id(), model, options);
    }

    /** A {@code pricing} option as an object (JSON text is parsed), or null when it is not one. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> pricingObject(Object value) {
        if (value instanceof Map) {
            return (Map<String, Object>) value;
        }
        if (value instanceof String text) {
            try {
                Object parsed = Json.MAPPER.readValue(text, Object.class);
                return parsed instanceof Map ? (Map<String, Object>) parsed : null;
            } catch (JsonProcessingException e) {
                return null;
            }
        }
        return null;
    }

    /** Any other top-level object of the merged config (e.g. {@code pricing}), empty when absent. */
    public Map<String, Object> section(String key) {
        return map(merged.get(key));
    }

    /** Thrown for a config file that exists but cannot be used. */
    public static final class ConfigException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new ConfigException(file + " cannot be read: " + e.getMessage());
        }
        if (text.isBlank()) {
            return Map.of();
        }
        try {
            Object value = Json.MAPPER.readValue(text, Object.class);
            if (!(value instanceof Map)) {
                throw new ConfigException(file + ": the top level must be a JSON object");
            }
            return (Map<String, Object>) value;
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": invalid JSON at " + Json.location(e) + ": " + e.getOriginalMessage());
        }
    }

    private static void validate(Path file, Map<String, Object> config) {
        Object provider = config.get("provider");
        if (provider != null) {
            if (!(provider instanceof Map<?, ?> p)) {
                throw new ConfigException(file + ": \"provider\" must be an object like {\"id\": \"claude-code\"}");
            }
            if (p.get("id") != null && !(p.get("id") instanceof String)) {
                throw new ConfigException(file + ": \"provider.id\" must be a string");
            }
            if (p.get("model") != null && !(p.get("model") instanceof String)) {
                throw new ConfigException(file + ": \"provider.model\" must be a string");
            }
            if (p.get("options") != null && !(p.get("options") instanceof Map)) {
                throw new ConfigException(file + ": \"provider.options\" must be an object");
            }
        }
        Object pricing = config.get("pricing");
        if (pricing != null && !(pricing instanceof Map)) {
            throw new ConfigException(file + ": \"pricing\" must be an object of model -> {input, output, cachedInput?}"
                    + " (USD per million tokens)");
        }
        Object providers = config.get("providers");
        if (providers != null) {
            if (!(providers instanceof Map<?, ?> all)) {
                throw new ConfigException(file + ": \"providers\" must be an object of provider ids to options");
            }
            for (Map.Entry<?, ?> e : all.entrySet()) {
                if (!(e.getValue() instanceof Map)) {
                    throw new ConfigException(file + ": \"providers." + e.getKey() + "\" must be an object of options");
                }
            }
        }
    }

    /** {@code over} merged onto {@code base}: nested objects merged, everything else replaced. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        for (Map.Entry<String, Object> e : over.entrySet()) {
            Object old = out.get(e.getKey());
            if (old instanceof Map && e.getValue() instanceof Map) {
                out.put(e.getKey(), deepMerge((Map<String, Object>) old, (Map<String, Object>) e.getValue()));
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }
}
