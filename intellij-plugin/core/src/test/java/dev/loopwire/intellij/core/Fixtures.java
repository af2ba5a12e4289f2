package dev.loopwire.intellij.core;

import dev.loopwire.protocol.ApprovalOption;
import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.PendingApproval;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.ToolCall;
import dev.loopwire.protocol.Usage;
import java.util.List;
import java.util.Map;

/** Sample protocol values for tests. */
public final class Fixtures {

    private Fixtures() {
    }

    public static LoopSnapshot loop(String id, String workspace, String status, PendingApproval pending) {
        return new LoopSnapshot(id, "fix-tests " + id, workspace, status, 2, new Usage(2, 1200, 340, 0.0123, 12.5),
                new Budget(10, 50_000L, 600.0, 1.0), new ProviderSpec("scripted", null, Map.of()),
                workspace + "/.loopwire/loops/" + id + "/memory.md", pending, null, false, null,
                "2026-11-22T02:00:00Z", "2026-11-22T02:01:00Z");
    }

    public static PendingApproval approval(String id) {
        return new PendingApproval(id, 2, "run_command", "Run `mvn -q test`?",
                Map.of("command", "mvn -q test", "timeoutSeconds", 120L), "run_command asks in approval mode ask",
                List.of(new ApprovalOption("allow_once", "Allow once"), new ApprovalOption("allow_always", "Always allow"),
                        new ApprovalOption("reject_once", "Reject")), "2026-11-22T03:00:00Z");
    }

    public static IterationRecord iteration(int index) {
        return new IterationRecord(index, "2026-11-22T02:00:00Z", 3.2, "wrote src/Main.java",
                List.of(new ToolCall("t" + index, "write_file", Map.of("path", "src/Main.java"), "ok", "written")),
                new Usage(1, 600, 170, 0.006, 3.2), "continue");
    }
}
