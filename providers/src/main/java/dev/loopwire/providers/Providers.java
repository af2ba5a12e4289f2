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
    public static final String HOW_TO_CONFIGURE = "no provider is available. Configure one of:"
            + " Claude Code: install it (npm install -g @anthropic-ai/claude-code) so that `claude` is on PATH,"
            + " or set providers.claude-code.binary in the config;"
            + " Codex: install it (npm install -g @openai/codex) so that `codex` is on PATH,"
            + " or set providers.codex.binary;"
            + " Anthropic API: export ANTHROPIC_API_KEY=sk-ant-...;"
            + " OpenAI API: export OPENAI_API_KEY=sk-...;"
            + " Ollama: run `ollama serve` (http://127.0.0.1:11434, or set providers.ollama.baseUrl)."
            + " Or name a provider with --provider ID (loop/start.provider.id), or set a default in"
            + " ~/.config/loopwire/config.json or <workspace>/.loopwire/config.json:"
            + " {\"provider\": {\"id\": \"openai\", \"model\": \"gpt-4.1-mini\"}}."
            + " The examples need none of these: they run on the built-in scripted provider,"
            + " {\"id\": \"scripted\", \"options\": {\"script\": \"turns.json\"}}"
            + " (loopwire run --provider scripted --script turns.json).";

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
