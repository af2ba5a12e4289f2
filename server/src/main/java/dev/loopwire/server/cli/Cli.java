package dev.loopwire.server.cli;

import dev.loopwire.server.internal.ServerVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The picocli command tree of {@code loopwire}. */
@Command(name = "loopwire", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Autonomous agent loops: run them in the terminal, or serve them to editors over JSON-RPC.")
public final class Cli implements Runnable {

    /**
     * The subcommands, in the order {@code --help} lists them. Only the one named on the command
     * line is given to picocli (building the model of every command by reflection took some 200 ms
     * of each start, {@code serve} included); help and unknown commands get all of them.
     */
    private static final java.util.Map<String, java.util.function.Supplier<Object>> SUBCOMMANDS =
            new java.util.LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("serve", ServeCommand::new);
        SUBCOMMANDS.put("run", RunCommand::new);
        SUBCOMMANDS.put("list", LoopCommands.ListCommand::new);
        SUBCOMMANDS.put("show", LoopCommands.ShowCommand::new);
        SUBCOMMANDS.put("approve", LoopCommands.ApproveCommand::new);
        SUBCOMMANDS.put("cancel", LoopCommands.CancelCommand::new);
        SUBCOMMANDS.put("resume", LoopCommands.ResumeCommand::new);
        SUBCOMMANDS.put("explain", ExplainCommand::new);
        SUBCOMMANDS.put("tail", TailCommand::new);
        SUBCOMMANDS.put("train", TrainCommand::new);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and returns the exit code. */
    public static int execute(String... args) {
        // The CLI shows only warnings; `serve` sets up its own logging (stderr or --log-file).
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        ServeCommand serve = ServeCommand.parseDirect(args);
        if (serve != null) {
            try {
                return serve.call();
            } catch (Exception e) {
                System.err.println("loopwire: " + e);
                return ExitCodes.FAILED;
            }
        }
        CommandLine cli = new CommandLine(new Cli());
        java.util.function.Supplier<Object> named = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        if (named != null && !"train".equals(args[0])) { // train: all, so the start-up archive holds every command's classes
            cli.addSubcommand(args[0], named.get());
        } else {
            SUBCOMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
        }
        cli.setParameterExceptionHandler((e, args1) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("loopwire: " + e.getMessage());
            c.usage(c.getErr());
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException) {
                commandLine.getErr().println("loopwire: " + dev.loopwire.server.internal.Rpc.redact(e.getMessage()));
                return ExitCodes.FAILED;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** The named subcommand under a {@code loopwire} root (for its usage text). */
    static CommandLine subcommand(String name) {
        CommandLine root = new CommandLine(new Cli());
        root.addSubcommand(name, SUBCOMMANDS.get(name).get());
        return root.getSubcommands().get(name);
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
