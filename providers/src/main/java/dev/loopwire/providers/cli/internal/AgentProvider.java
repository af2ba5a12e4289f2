package dev.loopwire.providers.cli.internal;

import dev.loopwire.engine.tools.Redactor;
import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.ProcessTracker;
import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.TurnRequest;
import dev.loopwire.engine.spi.TurnResult;
import dev.loopwire.engine.spi.TurnSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A CLI agent (Claude Code or Codex): builds the command line for a turn, feeds the prompt on
 * stdin, parses the agent's JSON event lines. The agent runs its own tools.
 */
public final class AgentProvider implements Provider {

    /** The two agent dialects. */
    public enum Kind {
        CLAUDE_CODE("claude"),
        CODEX("codex");

        final String shortName;

        Kind(String shortName) {
            this.shortName = shortName;
        }
    }

    /** Everything fixed when the provider is created. */
    public record Setup(
            Kind kind,
            Path binary,
            CliOptions options,
            Map<String, String> environment,
            ProcessTracker tracker,
            Path workspace,
            String model,
            Duration timeout,
            Duration killGrace) {
    }

    private final Setup setup;
    private final Redactor redactor;

    public AgentProvider(Setup setup) {
        this.setup = setup;
        this.redactor = Redactor.fromEnvironment(setup.environment());
    }

    @Override
    public boolean runsOwnTools() {
        return true;
    }

    @Override
    public TurnResult turn(TurnRequest request, TurnSink sink, Cancellation cancel)
            throws ProviderException, InterruptedException {
        String model = request.model() != null ? request.model() : setup.model();
        List<String> argv = setup.kind() == Kind.CLAUDE_CODE ? claudeArgs(model) : codexArgs(model);
        Path dir = request.workspace() != null ? request.workspace() : setup.workspace();
        byte[] stdin = CliSetup.fullPrompt(request.system(), request.prompt()).getBytes(StandardCharsets.UTF_8);
        CliTurnRunner.Spec spec = new CliTurnRunner.Spec(setup.kind().shortName, argv, dir, setup.environment(),
                stdin, setup.tracker(), String.join(" ", argv), setup.timeout(), setup.killGrace(), true, redactor);
        if (setup.kind() == Kind.CLAUDE_CODE) {
            ClaudeStreamParser parser = new ClaudeStreamParser(sink, redactor);
            return parser.finish(CliTurnRunner.run(spec, cancel, sink, parser::line));
        }
        CodexEventParser parser = new CodexEventParser(sink, redactor);
        return parser.finish(CliTurnRunner.run(spec, cancel, sink, parser::line));
    }

    /** Builds the command line once, so that bad options fail when the provider is created. */
    public void turnArgsCheck(String model) throws ProviderException {
        if (setup.kind() == Kind.CLAUDE_CODE) {
            claudeArgs(model);
        } else {
            codexArgs(model);
        }
    }

    /** {@code claude -p --output-format stream-json --verbose} plus the pass-through options. */
    List<String> claudeArgs(String model) throws ProviderException {
        CliOptions o = setup.options();
        List<String> argv = new ArrayList<>(List.of(setup.binary().toString(), "-p", "--output-format", "stream-json",
                "--verbose"));
        if (model != null && !model.isBlank()) {
            argv.addAll(List.of("--model", model));
        }
        String permissionMode = o.string("permissionMode", null);
        if (permissionMode != null) {
            argv.addAll(List.of("--permission-mode", permissionMode));
        }
        List<String> allowed = o.strings("allowedTools");
        if (!allowed.isEmpty()) {
            argv.addAll(List.of("--allowedTools", String.join(",", allowed)));
        }
        List<String> disallowed = o.strings("disallowedTools");
        if (!disallowed.isEmpty()) {
            argv.addAll(List.of("--disallowedTools", String.join(",", disallowed)));
        }
        if (o.raw().get("maxTurns") != null) {
            argv.addAll(List.of("--max-turns", Long.toString(Math.round(o.positive("maxTurns", 1)))));
        }
        argv.addAll(o.strings("extraArgs"));
        return argv;
    }

    /** {@code codex exec --json} plus the pass-through options, the prompt read from stdin. */
    List<String> codexArgs(String model) throws ProviderException {
        CliOptions o = setup.options();
        List<String> argv = new ArrayList<>(List.of(setup.binary().toString(), "exec", "--json"));
        if (o.bool("skipGitRepoCheck", true)) {
            argv.add("--skip-git-repo-check");
        }
        if (model != null && !model.isBlank()) {
            argv.addAll(List.of("--model", model));
        }
        String sandbox = o.string("sandbox", null);
        if (sandbox != null) {
            argv.addAll(List.of("--sandbox", sandbox));
        }
        if (o.bool("fullAuto", false)) {
            argv.add("--full-auto");
        }
        String approval = o.string("approval", null);
        if (approval != null) {
            argv.addAll(List.of("-c", "approval_policy=\"" + approval + "\""));
        }
        for (String kv : o.strings("config")) {
            argv.addAll(List.of("-c", kv));
        }
        argv.addAll(o.strings("extraArgs"));
        argv.add("-");
        return argv;
    }
}
