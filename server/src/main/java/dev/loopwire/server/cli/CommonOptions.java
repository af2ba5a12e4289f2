package dev.loopwire.server.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every loop command takes, and what they share (output streams, the backend). */
class CommonOptions {

    @Option(names = {"-w", "--workspace"}, paramLabel = "DIR",
            description = "The workspace (default: the current directory).")
    Path workspace;

    @Option(names = "--json", description = "Print JSON (one event or result a line) instead of text.")
    boolean json;

    PrintStream out = System.out;
    PrintStream err = System.err;

    /** The workspace as an absolute path; it must exist. */
    Path workspace() throws CliException {
        Path ws = (workspace == null ? Path.of("") : workspace).toAbsolutePath().normalize();
        if (!Files.isDirectory(ws)) {
            throw new CliException("workspace " + ws + " is not a directory", 0);
        }
        return ws;
    }

    /** True when a person is at the terminal (stdin and stdout are a TTY). */
    static boolean isTty() {
        return System.console() != null;
    }

    /** Where y/n answers are read, or null without a TTY. */
    static BufferedReader terminal() {
        return isTty() ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)) : null;
    }
}
