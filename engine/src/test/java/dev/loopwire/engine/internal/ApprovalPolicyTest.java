package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.EngineFixture.approval;
import static dev.loopwire.engine.internal.ScriptedTestProvider.call;
import static dev.loopwire.engine.internal.ScriptedTestProvider.text;
import static dev.loopwire.engine.internal.ScriptedTestProvider.tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwire.engine.LoopException;
import dev.loopwire.engine.internal.approval.PolicyFiles;
import dev.loopwire.engine.tools.BuiltinTools;
import dev.loopwire.engine.tools.Tool;
import dev.loopwire.engine.tools.Workspace;
import dev.loopwire.protocol.ApprovalRule;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.ErrorCode;
import dev.loopwire.protocol.LoopStatusParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Approval rules from the loop, the workspace policy, the user policy and the defaults, in that order. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ApprovalPolicyTest {

    @TempDir
    Path temp;

    private static void policy(Path file, String json) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
    }

    private static String rule(String tool, String match, String decision) {
        return "{\"rules\":[{\"tool\":\"" + tool + "\",\"match\":\"" + match + "\",\"decision\":\"" + decision + "\"}]}";
    }

    @Test
    void loopRulesBeatTheWorkspacePolicyWhichBeatsTheUserPolicyWhichBeatsTheDefault() throws Exception {
        Path ws = Files.createDirectories(temp.resolve("ws"));
        Path user = temp.resolve("user");
        TestTools.GuardedTool guarded = new TestTools.GuardedTool();
        Map<String, Object> make = Map.of("cmd", "make test");
        List<ApprovalRule> loopAllow = List.of(new ApprovalRule("guarded", "make *", "allow"));
        // defaults only: guarded asks
        assertEquals(ApprovalGate.Verdict.ASK, decide(ws, user, List.of(), guarded, make).verdict());
        // user policy allows
        policy(PolicyFiles.userFile(user), rule("guarded", "make *", "allow"));
        var byUser = decide(ws, user, List.of(), guarded, make);
        assertEquals(ApprovalGate.Verdict.RUN, byUser.verdict());
        assertTrue(byUser.why().startsWith("user policy rule"), byUser.why());
        // the workspace policy denies: it wins over the user's allow
        policy(PolicyFiles.workspaceFile(ws), rule("*", "make*", "deny"));
        var byWorkspace = decide(ws, user, List.of(), guarded, make);
        assertEquals(ApprovalGate.Verdict.DENY, byWorkspace.verdict());
        assertTrue(byWorkspace.why().startsWith("workspace policy rule"), byWorkspace.why());
        // the loop's own rule wins over both
        var byLoop = decide(ws, user, loopAllow, guarded, make);
        assertEquals(ApprovalGate.Verdict.RUN, byLoop.verdict());
        assertTrue(byLoop.why().startsWith("rule "), byLoop.why());
        // rules that do not match fall through, down to the default
        assertEquals(ApprovalGate.Verdict.ASK, decide(ws, user, loopAllow, guarded, Map.of("cmd", "ls")).verdict());
        policy(PolicyFiles.userFile(user), rule("guarded", "l?", "allow"));
        assertEquals(ApprovalGate.Verdict.RUN, decide(ws, user, loopAllow, guarded, Map.of("cmd", "ls")).verdict());
    }

    @Test
    void pathRulesMatchTheWorkspaceRelativePathHoweverItIsSpelled() throws Exception {
        Path ws = Files.createDirectories(temp.resolve("ws")).toRealPath();
        Files.createDirectories(ws.resolve("a"));
        Tool write = BuiltinTools.find("write_file").orElseThrow();
        policy(PolicyFiles.workspaceFile(ws), rule("write_file", "src/x.txt", "deny"));
        for (String spelled : List.of("src/x.txt", ws.resolve("src/x.txt").toString(), "a/../src/x.txt")) {
            var ruling = decide(ws, null, List.of(), write, Map.of("path", spelled, "content", "x"));
            assertEquals(ApprovalGate.Verdict.DENY, ruling.verdict(), spelled + ": " + ruling.why());
        }
    }

    private static ApprovalGate.Ruling decide(Path ws, Path user, List<ApprovalRule> loopRules, Tool tool,
            Map<String, Object> input) throws Exception {
        return ApprovalGate.decide("ask", List.of(), loopRules, PolicyFiles.read(PolicyFiles.workspaceFile(ws)),
                PolicyFiles.read(PolicyFiles.userFile(user)), tool, tool.subject(input, new Workspace(ws)), input);
    }

    @Test
    void aMalformedPolicyFileFailsTheLoopNamingTheFile() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        Path file = PolicyFiles.workspaceFile(fx.workspace);
        policy(file, "{\"rules\": [{\"tool\": \"guarded\", \"decision\": \"sometimes\"}]}");
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                tools("x", call("g1", "guarded", Map.of("cmd", "make")))));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(fx.params("bad policy")).loopId();
            LoopStatusParams failed = events.awaitStatus("failed");
            assertTrue(failed.reason().contains(file.toString()), failed.reason());
            assertTrue(failed.reason().contains("decision must be allow, ask or deny"), failed.reason());
            assertTrue(failed.resumable());
            assertEquals(0, fx.guarded.runs.get());
            assertEquals("failed", engine.get(id).loop().status());
        }
        policy(file, "{not json");
        assertTrue(assertThrows(PolicyFiles.PolicyException.class, () -> PolicyFiles.read(file)).getMessage()
                .contains(file.toString()));
    }

    @Test
    void allowAlwaysSavedToTheWorkspaceAppliesToQueuedCallsAndToOtherLoops() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                tools("three", call("g1", "guarded", Map.of("cmd", "make")), call("g2", "guarded", Map.of("cmd", "make")),
                        call("g3", "guarded", Map.of("cmd", "make other"))),
                text("ok\n<promise>DONE</promise>")));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String loopId = engine.start(fx.params("save to workspace")).loopId();
            String first = events.awaitApproval();
            LoopException badScope = assertThrows(LoopException.class, () -> engine.approve(
                    new ApproveParams(loopId, first, "allow_always", null, "everywhere")));
            assertEquals(ErrorCode.INVALID_PARAMS, badScope.code());
            engine.approve(new ApproveParams(loopId, first, "allow_always", null, "workspace"));
            // g2 (same command, queued behind g1 in the same turn) runs without asking; g3 does not match
            String third = events.awaitApproval();
            assertEquals(2, fx.guarded.runs.get());
            assertEquals("guarded: make other", engine.get(loopId).loop().pendingApproval().title());
            engine.approve(new ApproveParams(loopId, third, "allow_once", null));
            events.awaitStatus("succeeded");
            assertTrue(engine.get(loopId).loop().pendingApproval() == null);
            JsonNode saved = Json.MAPPER.readTree(PolicyFiles.workspaceFile(fx.workspace).toFile()).get("rules").get(0);
            assertEquals("guarded", saved.get("tool").asText());
            assertEquals("make", saved.get("match").asText());
            assertTrue(saved.get("exact").asBoolean());
            assertEquals("allow", saved.get("decision").asText());

        }
        // another loop of the same workspace: the saved rule applies, nothing is asked
        ScriptedTestProvider again = new ScriptedTestProvider(List.of(
                tools("again", call("h1", "guarded", Map.of("cmd", "make"))), text("ok\n<promise>DONE</promise>")));
        try (DefaultLoopEngine engine = fx.engine(again)) {
            RecordingEvents second = RecordingEvents.lifecycle();
            engine.subscribe(second);
            engine.start(fx.params("another loop"));
            second.awaitStatus("succeeded");
            assertEquals(4, fx.guarded.runs.get());
        }
    }
}
