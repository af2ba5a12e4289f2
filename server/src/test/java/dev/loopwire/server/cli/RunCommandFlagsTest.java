package dev.loopwire.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.protocol.StartLoopParams;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code loopwire run}'s loop-control flags map onto loop/start's fields. */
class RunCommandFlagsTest {

    private static StartLoopParams parse(String... args) throws CliException {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs(args);
        return run.params(Path.of("/tmp/ws"));
    }

    @Test
    void everyControlFlagIsMapped() throws Exception {
        StartLoopParams p = parse("--check", "make test", "--check-every", "iteration", "--check-timeout", "60",
                "--judge", "openai", "--no-progress", "4", "--stagnation", "0", "--failure-identical", "2",
                "--failure-any", "5", "--interval", "1.5", "--max-wait", "600", "--pid-poll", "2", "--every", "5m",
                "--template", "testfix", "--arg", "suite=unit", "--arg", "paths=[\"a\",\"b\"]", "goal");
        assertEquals("make test", p.check().command());
        assertEquals("iteration", p.check().every());
        assertEquals(60.0, p.check().timeoutSeconds());
        assertEquals("openai", p.judge().provider().id());
        assertEquals(4, p.stop().noProgressIterations());
        assertEquals(0, p.stop().stagnationRepeats());
        assertEquals(2, p.stop().failureStreak().identical());
        assertEquals(5, p.stop().failureStreak().any());
        assertEquals(1.5, p.waits().intervalSeconds());
        assertEquals(600.0, p.waits().maxWaitSeconds());
        assertEquals(2.0, p.waits().pidPollSeconds());
        assertEquals("5m", p.schedule().every());
        assertEquals("testfix", p.template());
        assertEquals(Map.of("suite", "unit", "paths", List.of("a", "b")), p.args());
    }

    @Test
    void withoutFlagsTheControlsAreAbsent() throws Exception {
        StartLoopParams p = parse("goal");
        assertNull(p.check());
        assertNull(p.judge());
        assertNull(p.stop());
        assertNull(p.waits());
        assertNull(p.schedule());
        assertNull(p.args());
    }

    @Test
    void badCheckFlagsAreUsageErrors() {
        CliException e = assertThrows(CliException.class, () -> parse("--check-every", "done", "goal"));
        assertTrue(e.getMessage().contains("need --check CMD"), e.getMessage());
        e = assertThrows(CliException.class, () -> parse("--check", "true", "--check-every", "sometimes", "goal"));
        assertTrue(e.getMessage().contains("done or iteration"), e.getMessage());
    }
}
