package dev.loopwire.providers.cli;

import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ProviderFactory;
import dev.loopwire.protocol.ProviderInfo;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.providers.cli.internal.AgentProvider;
import dev.loopwire.providers.cli.internal.CliSetup;
import java.util.List;

/**
 * {@code codex}: OpenAI Codex CLI as the loop's agent. Each turn runs {@code codex exec --json
 * --skip-git-repo-check -} in the workspace with the instructions and the prompt on stdin.
 * Options: {@code binary}, {@code model}, {@code sandbox}, {@code approval}, {@code fullAuto},
 * {@code skipGitRepoCheck}, {@code config} ({@code -c key=value} list), {@code extraArgs},
 * {@code env}, {@code timeoutSeconds}, {@code killGraceSeconds}.
 */
public final class CodexProviderFactory implements ProviderFactory {

    public static final String ID = "codex";
    static final String BINARY = "codex";
    static final String INSTALL = "install Codex (npm install -g @openai/codex)";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ProviderInfo describe(ProviderContext context) {
        return CliSetup.describe(ID, BINARY, INSTALL, "Codex CLI (runs its own tools)", List.of(), context);
    }

    @Override
    public Provider create(ProviderSpec spec, ProviderContext context) throws ProviderException {
        return ClaudeCodeProviderFactory.create(AgentProvider.Kind.CODEX, ID, BINARY, INSTALL, spec, context);
    }
}
