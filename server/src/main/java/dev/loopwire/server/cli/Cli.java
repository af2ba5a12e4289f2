package dev.loopwire.server.cli;

import dev.loopwire.server.internal.ServerVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The picocli command tree of {@code loopwire}. */
@Command(name = "loopwire", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Autonomous agent loops: run them in the terminal, or serve them to editors over JSON-RPC.",
        subcommands = {ServeCommand.class, RunCommand.class, LoopCommands.ListCommand.class,
            LoopCommands.ShowCommand.class, LoopCommands.ApproveCommand.class, LoopCommands.CancelCommand.class,
            LoopCommands.ResumeCommand.class, ExplainCommand.class, TailCommand.class, TrainCommand.class})
public final class Cli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and returns the exit code. */
    public static int execute(String... args) {
        // The CLI shows only warnings; `serve` sets up its own logging (stderr or --log-file).
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        CommandLine cli = new CommandLine(new Cli());
        cli.setParameterExceptionHandler((e, args1) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("loopwire: " + e.getMessage());
            c.usage(c.getErr());
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException) {
                commandLine.getErr().println("loopwire: " + e.getMessage());
                return ExitCodes.FAILED;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"loopwire " + ServerVersion.get(), "protocol version "
                    + dev.loopwire.protocol.LoopwireProtocol.PROTOCOL_VERSION, "Java " + Runtime.version()};
        }
    }
}
