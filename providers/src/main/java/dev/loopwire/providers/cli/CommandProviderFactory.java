package dev.loopwire.providers.cli;

import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ProviderFactory;
import dev.loopwire.protocol.ProviderInfo;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.providers.ProviderConfig;
import dev.loopwire.providers.cli.internal.Binaries;
import dev.loopwire.providers.cli.internal.CliOptions;
import dev.loopwire.providers.cli.internal.CliSetup;
import dev.loopwire.providers.cli.internal.CommandProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code command}: any program as the loop's agent, e.g. {@code {"argv": ["llm", "-m", "gpt-4o",
 * "{prompt}"]}} or {@code {"argv": ["gemini", "-p", "{prompt}"]}}. {@code {prompt}},
 * {@code {model}} and {@code {workspace}} in an argument are replaced; without {@code {prompt}}
 * the prompt goes to stdin. Stdout is the assistant's text; a non-zero exit fails the turn.
 * Options: {@code argv} (required), {@code env}, {@code timeoutSeconds}, {@code killGraceSeconds}.
 */
public final class CommandProviderFactory implements ProviderFactory {

    public static final String ID = "command";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ProviderInfo describe(ProviderContext context) {
        Object argv;
        try {
            argv = ProviderConfig.load(context).providerOptions(ID).get("argv");
        } catch (ProviderConfig.ConfigException e) {
            return new ProviderInfo(ID, false, e.getMessage(), List.of());
        }
        String usage = "runs any program as the agent: set options.argv, e.g. [\"llm\", \"-m\", \"gpt-4o\","
                + " \"{prompt}\"] (the prompt goes to stdin when no argument has {prompt})";
        if (argv instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof String program) {
            Optional<Path> found = Binaries.resolve(program, CliSetup.environment(context));
            if (found.isEmpty()) {
                return new ProviderInfo(ID, false, program + " (providers.command.argv) not found on PATH; install it"
                        + " or fix providers.command.argv in ~/.config/loopwire/config.json", List.of());
            }
            return new ProviderInfo(ID, true, "runs " + found.get() + " as the agent (providers.command.argv)", List.of());
        }
        return new ProviderInfo(ID, true, usage, List.of());
    }

    @Override
    public Provider create(ProviderSpec spec, ProviderContext context) throws ProviderException {
        CliOptions options = new CliOptions(ID, spec.options());
        List<String> argv = options.strings("argv");
        if (argv.isEmpty() || argv.get(0).isBlank()) {
            throw new ProviderException(ProviderException.Kind.FATAL, "command: options.argv is required, the program"
                    + " and its arguments, e.g. {\"argv\": [\"llm\", \"-m\", \"gpt-4o\", \"{prompt}\"]}");
        }
        Map<String, String> env = CliSetup.childEnvironment(context, options);
        Optional<Path> program = Binaries.resolve(argv.get(0), env);
        if (program.isEmpty()) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, argv.get(0)
                    + " (options.argv[0]) not found on PATH or not executable; install it or fix options.argv");
        }
        String model = spec.model() != null ? spec.model() : options.string("model", null);
        return new CommandProvider(new CommandProvider.Setup(List.copyOf(argv), program.get(), env,
                context.processes(), context.workspace(), model, CliSetup.timeout(options), CliSetup.killGrace(options)));
    }
}
