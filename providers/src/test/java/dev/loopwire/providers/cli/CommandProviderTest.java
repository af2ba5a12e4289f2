package dev.loopwire.providers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ProcessTracker;
import dev.loopwire.engine.spi.TurnResult;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.providers.testing.RecordingSink;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class CommandProviderTest {

    @TempDir
    Path ws;

    private final CommandProviderFactory factory = new CommandProviderFactory();

    private ProviderContext context() {
        return new ProviderContext(ws, Map.of("PATH", "/usr/bin:/bin", "GREETING", "hi"), ws, ProcessTracker.NONE);
    }

    @Test
    void sendsThePromptOnStdinWithoutPlaceholderAndStreamsStdout() throws Exception {
        Provider p = factory.create(new ProviderSpec("command", null, Map.of("argv", List.of("cat"))), context());
        RecordingSink sink = new RecordingSink();
        TurnResult r = p.turn(FakeCli.request(ws, null), sink, Cancellation.NONE);
        assertEquals("You are in a loop.\n\nWrite hello.txt.", r.text());
        assertEquals(r.text(), sink.text());
        assertEquals("exit:0", r.stopReason());
    }

    @Test
    void replacesPlaceholdersInTheArgvTemplate() throws Exception {
        Provider p = factory.create(new ProviderSpec("command", "m1", Map.of("argv",
                List.of("sh", "-c", "printf '%s|%s|%s|%s' \"$1\" \"$2\" \"$GREETING\" \"$(pwd)\"", "x", "{model}",
                        "{prompt}"))), context());
        TurnResult r = p.turn(FakeCli.request(ws, null), new RecordingSink(), Cancellation.NONE);
        assertEquals("m1|You are in a loop.\n\nWrite hello.txt.|hi|" + ws.toRealPath(), r.text());
    }

    @Test
    void aNonZeroExitFailsTheTurnWithStderr() throws Exception {
        Provider p = factory.create(new ProviderSpec("command", null, Map.of("argv",
                List.of("sh", "-c", "echo partial; echo broken >&2; exit 4"))), context());
        RecordingSink sink = new RecordingSink();
        ProviderException e = assertThrows(ProviderException.class,
                () -> p.turn(FakeCli.request(ws, null), sink, Cancellation.NONE));
        assertEquals(ProviderException.Kind.FATAL, e.kind());
        assertEquals("sh exited with code 4: broken", e.getMessage());
        assertEquals("partial\n", sink.text());
    }

    @Test
    void badOptionsAreRejectedClearly() {
        ProviderException noArgv = assertThrows(ProviderException.class,
                () -> factory.create(new ProviderSpec("command", null, Map.of()), context()));
        assertTrue(noArgv.getMessage().startsWith("command: options.argv is required"), noArgv.getMessage());
        ProviderException missing = assertThrows(ProviderException.class, () -> factory.create(
                new ProviderSpec("command", null, Map.of("argv", List.of("no-such-program-xyz"))), context()));
        assertEquals(ProviderException.Kind.UNAVAILABLE, missing.kind());
        ProviderException wrongType = assertThrows(ProviderException.class, () -> factory.create(
                new ProviderSpec("command", null, Map.of("argv", "cat", "timeoutSeconds", "soon")), context()));
        assertEquals("command: options.timeoutSeconds must be a number greater than 0", wrongType.getMessage());
    }
}
