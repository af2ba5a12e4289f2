package dev.loopwire.providers;

import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ProviderFactory;
import dev.loopwire.engine.spi.ProviderRegistry;
import dev.loopwire.protocol.ProviderInfo;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.providers.openai.OpenAiCompatibleFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The providers found with {@link ServiceLoader} (only their factories are instantiated; a
 * provider's own classes load when it is created), with the user and workspace config applied.
 *
 * <p>Order: {@code claude-code, codex, anthropic, openai, ollama, openrouter, command,
 * scripted}, then any other id alphabetically. When two factories claim the same id the first
 * found wins. Auto-selection: the config's default provider if it names one, else the first
 * available of {@link #AUTO_SELECT_ORDER}, where a local OpenAI-compatible server ({@code ollama})
 * counts only when it answers {@link OpenAiCompatibleFactory#probe} (300 ms) at its configured
 * {@code baseUrl}.
 */
public final class DefaultProviderRegistry implements ProviderRegistry {

    /** The order of {@link #list}; ids not named here follow alphabetically. */
    public static final List<String> LIST_ORDER =
            List.of("claude-code", "codex", "anthropic", "openai", "ollama", "openrouter", "command", "scripted");

    /** What {@link #autoSelect} tries, in order, when the config names no default. */
    public static final List<String> AUTO_SELECT_ORDER = List.of("claude-code", "codex", "anthropic", "openai", "ollama");

    private final Map<String, ProviderFactory> factories;

    /** A registry of exactly these factories. */
    public DefaultProviderRegistry(Iterable<? extends ProviderFactory> factories) {
        Map<String, ProviderFactory> byId = new LinkedHashMap<>();
        for (ProviderFactory f : factories) {
            byId.putIfAbsent(f.id(), f);
        }
        List<String> ids = new ArrayList<>(byId.keySet());
        ids.sort(Comparator.comparingInt((String id) -> {
            int i = LIST_ORDER.indexOf(id);
            return i < 0 ? LIST_ORDER.size() : i;
        }).thenComparing(Comparator.naturalOrder()));
        Map<String, ProviderFactory> ordered = new LinkedHashMap<>();
        for (String id : ids) {
            ordered.put(id, byId.get(id));
        }
        this.factories = ordered;
    }

    /**
     * The factories registered in {@code META-INF/services/dev.loopwire.engine.spi.ProviderFactory}
     * on {@code loader}. A factory that fails to load is skipped (the error goes to stderr).
     */
    public static DefaultProviderRegistry load(ClassLoader loader) {
        List<ProviderFactory> found = new ArrayList<>();
        ServiceLoader.load(ProviderFactory.class, loader).stream().forEach(p -> {
            try {
                found.add(p.get());
            } catch (ServiceConfigurationError e) {
                System.err.println("loopwire: skipping provider factory " + p.type().getName() + ": " + e.getMessage());
            }
        });
        return new DefaultProviderRegistry(found);
    }

    /** The ids, in list order. */
    public List<String> ids() {
        return List.copyOf(factories.keySet());
    }

    @Override
    public List<ProviderInfo> list(ProviderContext context) {
        List<ProviderInfo> out = new ArrayList<>(factories.size());
        for (ProviderFactory f : factories.values()) {
            out.add(describe(f, context));
        }
        return out;
    }

    @Override
    public Optional<ProviderFactory> find(String id) {
        return Optional.ofNullable(id == null ? null : factories.get(id));
    }

    @Override
    public Optional<ProviderSpec> autoSelect(ProviderContext context) {
        ProviderConfig config;
        try {
            config = ProviderConfig.load(context);
        } catch (ProviderConfig.ConfigException e) {
            config = ProviderConfig.empty();
        }
        Optional<ProviderSpec> configured = config.defaultProvider();
        if (configured.isPresent()) {
            return configured;
        }
        for (String id : AUTO_SELECT_ORDER) {
            ProviderFactory f = factories.get(id);
            if (f == null) {
                continue;
            }
            if (f instanceof OpenAiCompatibleFactory local && local.preset().local()) {
                // listing never touches the network; choosing a local server needs one that answers
                Map<String, Object> options = config.providerOptions(id);
                Optional<List<String>> served = local.probe(context, options);
                if (served.isPresent()) {
                    return Optional.of(new ProviderSpec(id, localModel(local, options, served.get()), Map.of()));
                }
            } else if (describe(f, context).available()) {
                return Optional.of(new ProviderSpec(id, null, Map.of()));
            }
        }
        return Optional.empty();
    }

    /**
     * The model for an auto-selected local server: null (the configured or preset default) when
     * the config names one or the server has the default; else the first model it serves.
     */
    private static String localModel(OpenAiCompatibleFactory factory, Map<String, Object> options, List<String> served) {
        String preset = factory.preset().defaultModel();
        if (options.get("model") instanceof String m && !m.isBlank() || served.isEmpty()
                || served.contains(preset) || served.contains(preset + ":latest")) {
            return null;
        }
        return served.get(0);
    }

    @Override
    public Provider create(ProviderSpec spec, ProviderContext context) throws ProviderException {
        if (spec == null || spec.id() == null || spec.id().isBlank()) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "no provider given; " + Providers.HOW_TO_CONFIGURE);
        }
        ProviderFactory factory = factories.get(spec.id());
        if (factory == null) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, "unknown provider '" + spec.id()
                    + "'; known providers: " + String.join(", ", factories.keySet()));
        }
        ProviderConfig config;
        try {
            config = ProviderConfig.load(context);
        } catch (ProviderConfig.ConfigException e) {
            throw new ProviderException(ProviderException.Kind.FATAL, e.getMessage());
        }
        return factory.create(config.apply(spec), context);
    }

    private static ProviderInfo describe(ProviderFactory f, ProviderContext context) {
        try {
            ProviderInfo info = f.describe(context);
            if (info != null) {
                return info;
            }
            return new ProviderInfo(f.id(), false, "the provider did not describe itself", List.of());
        } catch (RuntimeException e) {
            return new ProviderInfo(f.id(), false, "cannot tell whether " + f.id() + " is available: "
                    + e.getMessage(), List.of());
        }
    }
}
