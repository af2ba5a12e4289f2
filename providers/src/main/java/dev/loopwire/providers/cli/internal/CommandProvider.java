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
 * Any program as an agent: an argv template where {@code {prompt}}, {@code {model}} and
 * {@code {workspace}} are replaced; without {@code {prompt}} the prompt goes to stdin. Stdout is
 * streamed as the assistant's text; a non-zero exit fails the turn.
 */
public final class CommandProvider implements Provider {

    /** Linux refuses single arguments longer than 128 KiB; stay well below. */
    static final int MAX_PROMPT_ARG_CHARS = 100_000;

    /** Everything fixed when the provider is created. */
    public record Setup(
            List<String> argv,
            Path program,
            Map<String, String> environment,
            ProcessTracker tracker,
            Path workspace,
            String model,
            Duration timeout,
            Duration killGrace) {
    }

    private final Setup setup;
    private final Redactor redactor;

    public CommandProvider(Setup setup) {
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
        String prompt = CliSetup.fullPrompt(request.system(), request.prompt());
        String model = request.model() != null ? request.model() : setup.model();
        Path dir = request.workspace() != null ? request.workspace() : setup.workspace();
        boolean promptInArgs = setup.argv().stream().anyMatch(a -> a.contains("{prompt}"));
        if (promptInArgs && prompt.length() > MAX_PROMPT_ARG_CHARS) {
            throw new ProviderException(ProviderException.Kind.FATAL, "command: the prompt has " + prompt.length()
                    + " characters, too long for a command-line argument; remove {prompt} from options.argv"
                    + " to send it on stdin");
        }
        List<String> argv = new ArrayList<>();
        argv.add(setup.program().toString());
        for (String arg : setup.argv().subList(1, setup.argv().size())) {
            argv.add(arg.replace("{model}", model == null ? "" : model)
                    .replace("{workspace}", dir == null ? "" : dir.toString())
                    .replace("{prompt}", prompt));
        }
        String name = setup.program().getFileName().toString();
        StringBuilder text = new StringBuilder();
        CliTurnRunner.Spec spec = new CliTurnRunner.Spec(name, argv, dir, setup.environment(),
                promptInArgs ? null : prompt.getBytes(StandardCharsets.UTF_8), setup.tracker(),
                String.join(" ", setup.argv()), setup.timeout(), setup.killGrace(), false, redactor);
        CliTurnRunner.Finished finished = CliTurnRunner.run(spec, cancel, sink, chunk -> {
            text.append(chunk);
            sink.text(chunk);
        });
        if (finished.exitCode() != 0) {
            throw new ProviderException(CliSetup.looksRateLimited(finished.stderrTail())
                    ? ProviderException.Kind.RATE_LIMITED : ProviderException.Kind.FATAL,
                    name + " exited with code " + finished.exitCode()
                    + (finished.stderrTail().isEmpty() ? "" : ": " + finished.stderrTail()));
        }
        return new TurnResult(text.toString(), List.of(), new dev.loopwire.engine.spi.TurnUsage(0, 0, 0, null), "exit:0");
    }
}
