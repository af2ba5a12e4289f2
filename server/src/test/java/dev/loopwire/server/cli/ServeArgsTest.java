package dev.loopwire.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code serve}'s own options are read without picocli exactly as picocli reads them; anything else goes to picocli. */
class ServeArgsTest {

    private static ServeCommand viaPicocli(String... args) {
        ServeCommand c = new ServeCommand();
        new CommandLine(c).parseArgs(java.util.Arrays.copyOfRange(args, 1, args.length));
        return c;
    }

    @Test
    void ownOptionsAreReadAsPicocliReadsThem() {
        String[][] cases = {
            {"serve"},
            {"serve", "--no-socket"},
            {"serve", "--log-file", "/tmp/x.log", "--log-level", "FINE"},
            {"serve", "--log-file=/tmp/y.log", "--no-socket", "--log-level=WARNING"},
        };
        for (String[] args : cases) {
            ServeCommand direct = ServeCommand.parseDirect(args);
            ServeCommand picocli = viaPicocli(args);
            String what = String.join(" ", args);
            assertEquals(picocli.noSocket, direct.noSocket, what);
            assertEquals(picocli.logFile, direct.logFile, what);
            assertEquals(picocli.logLevel, direct.logLevel, what);
        }
        assertEquals(Path.of("/tmp/x.log"), ServeCommand.parseDirect(cases[2]).logFile);
        assertTrue(ServeCommand.parseDirect(cases[1]).noSocket);
        assertFalse(ServeCommand.parseDirect(cases[0]).noSocket);
    }

    @Test
    void anythingElseIsLeftToPicocli() {
        assertNull(ServeCommand.parseDirect(new String[] {"run", "goal"}));
        assertNull(ServeCommand.parseDirect(new String[] {}));
        assertNull(ServeCommand.parseDirect(new String[] {"serve", "--help"}));
        assertNull(ServeCommand.parseDirect(new String[] {"serve", "--log-file"}));
        assertNull(ServeCommand.parseDirect(new String[] {"serve", "--no-socket=true"}));
        assertNull(ServeCommand.parseDirect(new String[] {"serve", "--bogus"}));
        assertNull(ServeCommand.parseDirect(new String[] {"serve", "extra"}));
        assertEquals(ExitCodes.USAGE, Cli.execute("serve", "--bogus"));
    }
}
