package dev.loopwire.providers.cli;

import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ProviderFactory;
import dev.loopwire.protocol.ProviderInfo;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.providers.cli.internal.AgentProvider;
import dev.loopwire.providers.cli.internal.CliOptions;
import dev.loopwire.providers.cli.internal.CliSetup;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code claude-code}: Claude Code as the loop's agent. Each turn runs {@code claude -p
 * --output-format stream-json --verbose} in the workspace with the instructions and the prompt
 * on stdin. Options: {@code binary}, {@code model}, {@code permissionMode}, {@code allowedTools},
 * {@code disallowedTools}, {@code maxTurns}, {@code extraArgs}, {@code env},
 * {@code timeoutSeconds}, {@code killGraceSeconds}.
 */
public final class ClaudeCodeProviderFactory implements ProviderFactory {

    public static final String ID = "claude-code";
    static final String BINARY = "claude";
    static final String INSTALL = "install Claude Code";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ProviderInfo describe(ProviderContext context) {
        return CliSetup.describe(ID, BINARY, INSTALL, "Claude Code CLI (runs its own tools)",
                List.of("sonnet", "opus", "haiku"), context);
    }

    @Override
    public Provider create(ProviderSpec spec, ProviderContext context) throws ProviderException {
        return create(AgentProvider.Kind.CLAUDE_CODE, ID, BINARY, INSTALL, spec, context);
    }

    static Provider create(AgentProvider.Kind kind, String id, String binary, String install, ProviderSpec spec,
            ProviderContext context) throws ProviderException {
        CliOptions options = new CliOptions(id, spec.options());
        Map<String, String> env = CliSetup.childEnvironment(context, options);
        Path resolved = CliSetup.requireBinary(id, binary, install, options, env);
        String model = spec.model() != null ? spec.model() : options.string("model", null);
        AgentProvider.Setup setup = new AgentProvider.Setup(kind, resolved, options, env, context.processes(),
                context.workspace(), model, CliSetup.timeout(options), CliSetup.killGrace(options));
        AgentProvider provider = new AgentProvider(setup);
        // build the command line once now, so that bad options fail at start, not mid-loop
        provider.turnArgsCheck(model);
        return provider;
    }
}
