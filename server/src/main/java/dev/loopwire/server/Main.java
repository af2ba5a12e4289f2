package dev.loopwire.server;

import dev.loopwire.server.cli.Cli;

/**
 * The {@code loopwire} command: {@code serve} (the JSON-RPC server on stdio), {@code run},
 * {@code list}, {@code show}, {@code approve}, {@code cancel}, {@code resume}, {@code tail}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(args));
    }
}
