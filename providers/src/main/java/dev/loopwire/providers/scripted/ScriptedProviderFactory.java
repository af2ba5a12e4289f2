package dev.loopwire.providers.scripted;

import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ProviderFactory;
import dev.loopwire.protocol.ProviderInfo;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.providers.scripted.internal.Script;
import dev.loopwire.providers.scripted.internal.ScriptedProvider;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code scripted} provider: deterministic turns from a file, for demos, rehearsing loops
 * and tests. {@code {"id": "scripted", "options": {"script": "turns.json"}}}, the path relative
 * to the workspace or absolute. The file is read and checked when the provider is created.
 */
public final class ScriptedProviderFactory implements ProviderFactory {

    /** The provider id. */
    public static final String ID = "scripted";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ProviderInfo describe(ProviderContext context) {
        return new ProviderInfo(ID, true, "deterministic turns from a file: for demos, rehearsing loops and tests"
                + " (options.script: a turns file, relative to the workspace)", List.of());
    }

    @Override
    public Provider create(ProviderSpec spec, ProviderContext context) throws ProviderException {
        Object script = spec.options() == null ? null : spec.options().get("script");
        if (!(script instanceof String s) || s.isBlank()) {
            throw new ProviderException(ProviderException.Kind.FATAL, "the scripted provider needs options.script,"
                    + " the path of a turns file, e.g. {\"id\": \"scripted\", \"options\": {\"script\": \"turns.json\"}}");
        }
        Path path = Path.of(s);
        if (!path.isAbsolute()) {
            if (context.workspace() == null) {
                throw new ProviderException(ProviderException.Kind.FATAL,
                        "the scripted provider got a relative script path '" + s + "' but no workspace");
            }
            path = context.workspace().resolve(path);
        }
        return new ScriptedProvider(Script.load(path.normalize()));
    }
}
