package dev.loopwire.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApprovalResolvedParams;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.server.testing.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-iteration gate of CLI agents through the real {@code loopwire.jar serve}: the
 * {@code command} provider runs a tiny shell script (a real child process) only after a person
 * allowed the agent's turn.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentTurnApprovalIT {

    @TempDir
    Path dir;

    @Test
    void theCommandAgentRunsOnlyAfterItsFirstTurnWasApproved() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        // reads the prompt from stdin, leaves a mark per turn, claims done
        String script = "cat > /dev/null; echo ran >> agent-ran.txt; echo done; echo '<promise>DONE</promise>'";
        try (ServerProcess p = ServerProcess.start(dir)) {
            p.initialize(null, ws);
            StartLoopParams start = new StartLoopParams(ws.toString(), "leave a mark", null, null, null,
                    new ProviderSpec("command", null, Map.of("argv", List.of("sh", "-c", script))), null, null,
                    null, "agent-gate", null, null, null, null, null, null);
            LoopSnapshot loop = p.server.getLoopService().start(start).get(60, TimeUnit.SECONDS);
            String id = loop.loopId();
            p.client.assertNextStatus(id, "created");
            p.client.assertNextStatus(id, "running");
            ApprovalRequestedParams asked = p.client.awaitNext(ApprovalRequestedParams.class, a -> true);
            assertEquals("agent_turn", asked.approval().tool());
            assertEquals("Run command for iteration 1", asked.approval().title());
            assertTrue(String.valueOf(asked.approval().input().get("prompt")).contains("leave a mark"));
            p.client.assertNextStatus(id, "awaiting_approval");
            assertFalse(Files.exists(ws.resolve("agent-ran.txt")), "the agent must not run before the answer");

            p.server.getLoopService().approve(new ApproveParams(id, asked.approval().approvalId(), "allow_once",
                    null)).get(60, TimeUnit.SECONDS);
            ApprovalResolvedParams resolved = p.client.awaitNext(ApprovalResolvedParams.class, r -> true);
            assertEquals("allow_once", resolved.decision());
            p.client.awaitStatus(id, "succeeded");
            assertEquals("ran\n", Files.readString(ws.resolve("agent-ran.txt")));
        }
    }
}
