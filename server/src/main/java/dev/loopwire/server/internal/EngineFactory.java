package dev.loopwire.server.internal;

import dev.loopwire.engine.EngineOptions;
import dev.loopwire.engine.LoopEngine;
import dev.loopwire.providers.Providers;
import dev.loopwire.providers.process.ProcessTreesProbe;
import java.time.Clock;
import java.util.Map;

/** Creates the engine the server and the CLI use: the providers on the class path, real processes. */
public final class EngineFactory {

    private EngineFactory() {
    }

    public static LoopEngine create() {
        Map<String, String> env = System.getenv();
        return LoopEngine.create(new EngineOptions(Providers.registry(), Providers.commandRunner(), Clock.systemUTC(),
                Providers.defaultUserConfigDir(env), env, 0, new ProcessTreesProbe()));
    }
}
