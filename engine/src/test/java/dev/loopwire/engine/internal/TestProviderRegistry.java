package dev.loopwire.engine.internal;

import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ProviderFactory;
import dev.loopwire.protocol.ProviderInfo;
import dev.loopwire.protocol.ProviderSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Test double: providers by id, each id handing out one given instance. */
final class TestProviderRegistry implements dev.loopwire.engine.spi.ProviderRegistry {

    private final Map<String, Provider> providers = new LinkedHashMap<>();
    ProviderSpec autoSelected;
    String unavailable;

    TestProviderRegistry with(String id, Provider provider) {
        providers.put(id, provider);
        return this;
    }

    @Override
    public List<ProviderInfo> list(ProviderContext context) {
        return providers.keySet().stream().map(id -> new ProviderInfo(id, !id.equals(unavailable),
                id.equals(unavailable) ? "not configured" : "test double", List.of())).toList();
    }

    @Override
    public Optional<ProviderFactory> find(String id) {
        Provider provider = providers.get(id);
        if (provider == null) {
            return Optional.empty();
        }
        return Optional.of(new ProviderFactory() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public ProviderInfo describe(ProviderContext context) {
                return new ProviderInfo(id, true, "test double", List.of());
            }

            @Override
            public Provider create(ProviderSpec spec, ProviderContext context) throws ProviderException {
                if (id.equals(unavailable)) {
                    throw new ProviderException(ProviderException.Kind.UNAVAILABLE, id + " is not configured");
                }
                return provider;
            }
        });
    }

    @Override
    public Optional<ProviderSpec> autoSelect(ProviderContext context) {
        return Optional.ofNullable(autoSelected);
    }
}
