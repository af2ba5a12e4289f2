package dev.loopwire.server.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApprovalResolvedParams;
import dev.loopwire.protocol.ApprovalRule;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.ErrorCode;
import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.LoopIdParams;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.ToolCall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approval policy through the real {@code loopwire.jar serve} process (the engine's
 * {@code ApprovalPolicyTest} and {@code ApprovalPreconditionTest} prove the same in one JVM):
 * the precedence loop rules &gt; workspace {@code .loopwire/policy.json} &gt; user
 * {@code policy.json} (under {@code XDG_CONFIG_HOME}) &gt; the mode's default, an
 * {@code allow_always} answer with {@code scope: "workspace"} that a second loop obeys without
 * asking, and the precondition check: a file the action touches changed between question and
 * answer, so the answer is not applied and the action is asked again with a new id.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ApprovalPolicyIT {

    @TempDir
    Path dir;

    private LiveServer start(Path userPolicy) throws Exception {
        Path config = Files.createDirectories(dir.resolve("home/.config"));
        if (userPolicy != null) {
            Files.createDirectories(config.resolve("loopwire"));
            Files.copy(userPolicy, config.resolve("loopwire/policy.json"));
        }
        Map<String, String> env = new HashMap<>();
        env.put("HOME", dir.resolve("home").toString());
        env.put("XDG_CONFIG_HOME", config.toString());
        return LiveServer.start(dir.resolve("logs"), env, false);
    }

    private static StartLoopParams scripted(Path ws, String script, String name, List<ApprovalRule> rules) {
        return new StartLoopParams(ws.toString(), "follow the script", null, null, null,
                new ProviderSpec("scripted", null, Map.of("script", script)), null,
                new ApprovalConfig("ask", rules, null, null, null), true, name, null, null, null, null, null, null);
    }

    @Test
    void loopRulesBeatTheWorkspacePolicyWhichBeatsTheUserPolicyWhichBeatsTheDefault() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Path user = Files.writeString(dir.resolve("user-policy.json"),
                "{\"rules\": [{\"tool\": \"run_command\", \"match\": \"echo *\", \"decision\": \"allow\"}]}");
        Files.createDirectories(ws.resolve(".loopwire"));
        Files.writeString(ws.resolve(".loopwire/policy.json"),
                "{\"rules\": [{\"tool\": \"run_command\", \"match\": \"echo ws*\", \"decision\": \"deny\"}]}");
        Files.writeString(ws.resolve("turns.json"), """
                {"turns": [
                  {"text": "four commands", "toolCalls": [
                    {"name": "run_command", "input": {"command": "echo user > by-user.txt"}},
                    {"name": "run_command", "input": {"command": "echo ws > by-ws.txt"}},
                    {"name": "run_command", "input": {"command": "echo ws-loop > by-loop.txt"}},
                    {"name": "run_command", "input": {"command": "touch by-default.txt"}}
                  ]},
                  {"text": "done\\n<promise>DONE</promise>"}
                ]}
                """);
        Files.writeString(ws.resolve("again.json"), """
                {"turns": [
                  {"text": "the same command", "toolCalls": [
                    {"name": "run_command", "input": {"command": "touch by-default.txt"}}]},
                  {"text": "done\\n<promise>DONE</promise>"}
                ]}
                """);
        try (LiveServer s = start(user)) {
            s.initialize(ws);
            String first = LiveServer.await(s.loops().start(scripted(ws, "turns.json", "precedence",
                    List.of(new ApprovalRule("run_command", "echo ws-loop*", "allow"))))).loopId();
            ApprovalRequestedParams asked = s.awaitNotification(ApprovalRequestedParams.class,
                    a -> a.loopId().equals(first), 90);
            assertEquals("run_command", asked.approval().tool());
            assertEquals("touch by-default.txt", asked.approval().input().get("command"),
                    "only the command no rule speaks for is asked about: " + asked);
            assertTrue(Files.exists(ws.resolve("by-user.txt")), "the user policy allowed echo");
            assertFalse(Files.exists(ws.resolve("by-ws.txt")), "the workspace policy denies echo ws*");
            assertTrue(Files.exists(ws.resolve("by-loop.txt")), "the loop's rule allows echo ws-loop*");
            assertFalse(Files.exists(ws.resolve("by-default.txt")), "nothing runs before the answer");

            LiveServer.await(s.loops().approve(new ApproveParams(first, asked.approval().approvalId(), "allow_always",
                    null, "workspace")));
            s.awaitStatus(first, "succeeded");
            assertTrue(Files.exists(ws.resolve("by-default.txt")));
            assertEquals(1, s.received(ApprovalRequestedParams.class).size(), "asked exactly once");
            List<ToolCall> calls = LiveServer.await(s.loops().get(new LoopIdParams(first))).iterations().get(0)
                    .toolCalls();
            assertEquals(List.of("ok", "denied", "ok", "ok"), calls.stream().map(ToolCall::status).toList(),
                    calls.toString());
            assertTrue(calls.get(1).output().contains("workspace policy"), calls.get(1).output());
            String policy = Files.readString(ws.resolve(".loopwire/policy.json"));
            assertTrue(policy.contains("touch by-default.txt") && policy.contains("\"exact\" : true"), policy);
            assertTrue(policy.contains("echo ws*"), "the file's own rule is kept: " + policy);

            // a second loop of the workspace runs the same command without asking
            String second = LiveServer.await(s.loops().start(scripted(ws, "again.json", "second", null))).loopId();
            s.awaitStatus(second, "succeeded");
            assertTrue(s.received(ApprovalRequestedParams.class).stream().noneMatch(a -> a.loopId().equals(second)),
                    "the second loop was asked although the workspace policy allows the command");
            GetLoopResult got = LiveServer.await(s.loops().get(new LoopIdParams(second)));
            assertEquals("ok", got.iterations().get(0).toolCalls().get(0).status());
            assertEquals("policy", got.traces().get(0).toolCalls().get(0).decision());
        }
    }

    @Test
    void aFileChangedBetweenQuestionAndAnswerSupersedesTheApprovalAndItIsAskedAgain() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Files.writeString(ws.resolve("notes.txt"), "v1\n");
        Files.writeString(ws.resolve("turns.json"), """
                {"turns": [
                  {"text": "rewriting the notes", "toolCalls": [
                    {"name": "write_file", "input": {"path": "notes.txt", "content": "from the loop\\n"}}]},
                  {"text": "done\\n<promise>DONE</promise>"}
                ]}
                """);
        try (LiveServer s = start(null)) {
            s.initialize(ws);
            String id = LiveServer.await(s.loops().start(scripted(ws, "turns.json", "premise",
                    List.of(new ApprovalRule("write_file", null, "ask"))))).loopId();
            String firstId = s.awaitNotification(ApprovalRequestedParams.class, a -> a.loopId().equals(id), 90)
                    .approval().approvalId();
            s.awaitStatus(id, "awaiting_approval");

            Files.writeString(ws.resolve("notes.txt"), "v2: a person edited this meanwhile\n");
            LoopSnapshot after = LiveServer.await(s.loops().approve(new ApproveParams(id, firstId, "allow_once", null)));
            assertEquals("awaiting_approval", after.status(), after.toString());
            assertNotNull(after.pendingApproval());
            String secondId = after.pendingApproval().approvalId();
            assertNotEquals(firstId, secondId, "asked again with a new id");
            assertEquals("write_file", after.pendingApproval().tool());
            ApprovalResolvedParams resolved = s.awaitNotification(ApprovalResolvedParams.class,
                    r -> r.approvalId().equals(firstId), 90);
            assertEquals("superseded", resolved.decision());
            s.awaitNotification(ApprovalRequestedParams.class, a -> a.approval().approvalId().equals(secondId), 90);
            assertEquals("v2: a person edited this meanwhile\n", Files.readString(ws.resolve("notes.txt")),
                    "nothing ran on the stale premise");

            ExecutionException stale = assertThrows(ExecutionException.class, () -> LiveServer.await(
                    s.loops().approve(new ApproveParams(id, firstId, "allow_once", null))));
            assertEquals(ErrorCode.STALE_APPROVAL.code(),
                    ((ResponseErrorException) stale.getCause()).getResponseError().getCode());
            assertEquals(secondId, LiveServer.await(s.loops().get(new LoopIdParams(id))).loop().pendingApproval()
                    .approvalId(), "the old id changed nothing");

            LiveServer.await(s.loops().approve(new ApproveParams(id, secondId, "allow_once", null)));
            s.awaitStatus(id, "succeeded");
            assertEquals("from the loop\n", Files.readString(ws.resolve("notes.txt")));
        }
    }
}
