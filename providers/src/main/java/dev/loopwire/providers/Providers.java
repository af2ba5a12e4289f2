package dev.loopwire.providers;

import dev.loopwire.engine.spi.CommandRunner;
import dev.loopwire.engine.spi.ProcessTracker;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.providers.process.ExecCommandRunner;
import java.nio.file.Path;
import java.util.Map;

/**
 * Entry points of the providers module for the server and the CLI: the provider registry, the
 * command runner, and a provider context built from the real environment.
 */
public final class Providers {

    /** What to tell a person when no provider is available or none was named. */
    public static final String HOW_TO_CONFIGURE = "no provider is available. Install Claude Code (claude) or Codex"
            + " (codex) and put it on PATH, or set ANTHROPIC_API_KEY or OPENAI_API_KEY, or run a local Ollama"
            + " (http://127.0.0.1:11434); or name one with --provider / loop/start.provider, or set a default in"
            + " ~/.config/loopwire/config.json: {\"provider\": {\"id\": \"openai\", \"model\": \"gpt-4o\"}}."
            + " The examples run on the built-in scripted provider: {\"id\": \"scripted\", \"options\":"
            + " {\"script\": \"turns.json\"}}";

    private Providers() {
    }

    /** A registry of every provider factory on this module's class path. */
    public static DefaultProviderRegistry registry() {
        return DefaultProviderRegistry.load(Providers.class.getClassLoader());
    }

    /** The command runner for {@code run_command} and check commands. */
    public static CommandRunner commandRunner() {
        return new ExecCommandRunner();
    }

    /**
     * {@code $XDG_CONFIG_HOME/loopwire} when that variable is set, else
     * {@code ~/.config/loopwire}.
     */
    public static Path defaultUserConfigDir(Map<String, String> environment) {
        String xdg = environment.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "loopwire");
        }
        String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".config", "loopwire");
    }

    /** A context with the server's environment and the default user config directory. */
    public static ProviderContext context(Path workspace, ProcessTracker processes) {
        Map<String, String> env = System.getenv();
        return new ProviderContext(workspace, env, defaultUserConfigDir(env),
                processes == null ? ProcessTracker.NONE : processes);
    }
}
