package dev.loopwire.engine;

import dev.loopwire.engine.spi.CommandRunner;
import dev.loopwire.engine.spi.ProcessProbe;
import dev.loopwire.engine.spi.ProviderRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * The engine's collaborators and settings.
 *
 * @param providers       finds and creates providers
 * @param commandRunner   runs {@code run_command} and check commands (process tree killed on cancel)
 * @param clock           time source (tests pass a fixed or stepping clock)
 * @param userConfigDir   {@code ~/.config/loopwire} (user templates, config); may not exist
 * @param environment     the server's environment, for providers and secret redaction
 * @param maxRunningLoops runners that may run at once; further loops queue as {@code running}
 * @param processProbe    looks at detached jobs the agent reported ({@code <pid_number>}); null means
 *                        {@link ProcessProbe#NONE} (every reported PID counts as gone)
 */
public record EngineOptions(
        ProviderRegistry providers,
        CommandRunner commandRunner,
        Clock clock,
        Path userConfigDir,
        Map<String, String> environment,
        int maxRunningLoops,
        ProcessProbe processProbe) {

    public EngineOptions {
        Objects.requireNonNull(providers, "providers");
        Objects.requireNonNull(commandRunner, "commandRunner");
        clock = clock == null ? Clock.systemUTC() : clock;
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        maxRunningLoops = maxRunningLoops <= 0 ? 256 : maxRunningLoops;
        processProbe = processProbe == null ? ProcessProbe.NONE : processProbe;
    }

    /** Without a process probe (PID waits see every reported PID as gone). */
    public EngineOptions(ProviderRegistry providers, CommandRunner commandRunner, Clock clock, Path userConfigDir,
            Map<String, String> environment, int maxRunningLoops) {
        this(providers, commandRunner, clock, userConfigDir, environment, maxRunningLoops, null);
    }

    /** The same options with another process probe. */
    public EngineOptions withProcessProbe(ProcessProbe probe) {
        return new EngineOptions(providers, commandRunner, clock, userConfigDir, environment, maxRunningLoops, probe);
    }

    /** Defaults: system clock, the real environment, {@code ~/.config/loopwire}. */
    public static EngineOptions of(ProviderRegistry providers, CommandRunner commandRunner) {
        return new EngineOptions(providers, commandRunner, Clock.systemUTC(),
                Path.of(System.getProperty("user.home"), ".config", "loopwire"), System.getenv(), 256, null);
    }
}
