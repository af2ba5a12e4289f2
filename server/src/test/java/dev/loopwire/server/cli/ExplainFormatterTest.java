package dev.loopwire.server.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.IterationTrace;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.PolicyDecision;
import dev.loopwire.protocol.ProviderCallTrace;
import dev.loopwire.protocol.ToolCall;
import dev.loopwire.protocol.ToolCallTrace;
import dev.loopwire.protocol.Usage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text of {@code loopwire explain} from a loop/get result. */
class ExplainFormatterTest {

    private static GetLoopResult result() {
        LoopSnapshot loop = new LoopSnapshot("L1", "fix", "/ws", "no_progress", 2, new Usage(2, 300, 50, 0.03, 12.5),
                null, null, "/ws/.loopwire/loops/L1/memory.md", null, "no_progress: 3 iterations without a change",
                true, "Edit the loop's memory file to steer it, then loopwire resume L1", "t0", "t1");
        IterationRecord one = new IterationRecord(1, "t0", 5.0, "ran the tests", List.of(
                new ToolCall("a", "run_command", Map.of("command", "make test"), "error", "exit code 2\nFAIL x")),
                new Usage(1, 100, 20, 0.01, 5.0), "continue");
        IterationRecord two = new IterationRecord(2, "t1", 7.5, "read a file", List.of(
                new ToolCall("b", "read_file", Map.of("path", "a"), "ok", "text")), new Usage(1, 200, 30, 0.02, 7.5),
                "continue");
        IterationTrace t1 = new IterationTrace(1, 1234, List.of(new ProviderCallTrace(0, "t0", 2.0, 100, 20, 0.01,
                "tool_use", null)), List.of(new ToolCallTrace("a", "run_command", "error", 3.0, "policy", "exit code 2")),
                List.of(new PolicyDecision("t0", "verification", "check failed (exit 1)")));
        IterationTrace t2 = new IterationTrace(2, 2000, List.of(new ProviderCallTrace(1, "t1", 4.0, 200, 30, 0.02,
                "tool_use", null)), List.of(new ToolCallTrace("b", "read_file", "ok", 0.1, "policy", "text")),
                List.of(new PolicyDecision("t1", "status", "no_progress: 3 iterations without a change")));
        return new GetLoopResult(loop, List.of(one, two), List.of(t1, t2));
    }

    @Test
    void explainsStopTokensFailedApproachesAndNextAction() {
        String text = ExplainFormatter.format(result());
        assertTrue(text.contains("Why it stopped\n  no_progress: no_progress: 3 iterations without a change"), text);
        assertTrue(text.contains("total: 2 iterations, 300 in + 50 out tokens, $0.0300"), text);
        assertTrue(text.contains("#1       100 in     20 out  $0.0100     5.0 s  provider 1 call(s) 2.0 s  prompt 1234 chars"), text);
        assertTrue(text.contains("run_command      1 call(s)    3.0 s  1 not ok"), text);
        assertTrue(text.contains("read_file        1 call(s)    0.1 s  0 not ok"), text);
        assertTrue(text.contains("#1 ran the tests\n      run_command error: exit code 2\n      check failed (exit 1)"), text);
        assertFalse(text.contains("#2 read a file"), "a good iteration is no failed approach: " + text);
        assertTrue(text.contains("Recommended next action\n  Edit the loop's memory file"), text);
        assertTrue(text.contains("note in the memory file (/ws/.loopwire/loops/L1/memory.md)"), text);
    }
}
