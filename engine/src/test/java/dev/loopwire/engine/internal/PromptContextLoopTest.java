package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.ScriptedTestProvider.call;
import static dev.loopwire.engine.internal.ScriptedTestProvider.text;
import static dev.loopwire.engine.internal.ScriptedTestProvider.tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwire.engine.tools.BuiltinTools;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.StopConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** AGENTS.md, skills, artifacts and the verbatim window in the prompts of a running loop. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PromptContextLoopTest {

    @TempDir
    Path temp;

    private static StartLoopParams params(EngineFixture fx, int iterations) {
        StartLoopParams p = fx.params("context", EngineFixture.iterations(iterations),
                EngineFixture.approval("auto", null), true);
        return new StartLoopParams(p.workspace(), p.goal(), p.goalFile(), p.template(), p.args(), p.provider(),
                p.budget(), p.approval(), p.autoRun(), p.name(), p.check(), p.judge(), new StopConfig(0, 0, null),
                p.waits(), p.schedule(), p.doneToken());
    }

    private static dev.loopwire.protocol.GetLoopResult runToEnd(EngineFixture fx, ScriptedTestProvider provider, StartLoopParams params)
            throws Exception {
        try (DefaultLoopEngine engine = new DefaultLoopEngine(fx.options(new TestProviderRegistry()
                .with("scripted", provider)), BuiltinTools.all(), StoreObserver.NONE)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(params).loopId();
            while (true) {
                if (events.next() instanceof LoopStatusParams s && StopPoliciesLoopTest.TERMINAL.contains(s.status())) {
                    return engine.get(id);
                }
            }
        }
    }

    @Test
    void agentsFileSkillsAndArtifactChangesAreInThePrompt() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        Files.writeString(fx.workspace.resolve("AGENTS.md"), "Always run ./check.sh first.\n");
        for (int i = 0; i < 53; i++) {
            Path skill = Files.createDirectories(fx.workspace.resolve("skills/s" + (100 + i)));
            Files.writeString(skill.resolve("SKILL.md"), "---\nname: skill-" + (100 + i)
                    + "\ndescription: does thing " + i + "\n---\nbody\n");
        }
        Files.writeString(fx.workspace.resolve("old.txt"), "old");
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                tools("writing", call(null, "write_file", Map.of("path", "new.txt", "content", "fresh")),
                        call(null, "run_command", Map.of("command", "rm old.txt"))),
                text("<promise>DONE</promise>")));
        runToEnd(fx, provider, params(fx, 5));
        String first = provider.requests.get(0).prompt();
        assertTrue(first.contains("Workspace instructions (AGENTS.md):\nAlways run ./check.sh first."), first);
        assertTrue(first.contains("- skill-100: does thing 0 (skills/s100/SKILL.md)"), first);
        assertTrue(first.contains("- ... 3 more skill(s)"), first);
        assertFalse(first.contains("skill-150"), first);
        String second = provider.requests.get(1).prompt();
        assertTrue(second.contains("- new.txt | new | 5 bytes"), second);
        assertTrue(second.contains("- old.txt | deleted | 3 bytes"), second);
        assertFalse(second.contains("- .loopwire/"), "the loop's own files are not artifacts");
    }

    @Test
    void apiProvidersSeeTheLastIterationsVerbatimAndOlderOnesAsSummaries() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        List<ScriptedTestProvider.Turn> turns = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            turns.add(text("summary of step " + i));
        }
        ScriptedTestProvider provider = new ScriptedTestProvider(turns);
        dev.loopwire.protocol.GetLoopResult result = runToEnd(fx, provider, params(fx, 7));
        String id = result.loop().loopId();
        assertEquals(7, provider.requests.size());
        assertFalse(provider.requests.get(5).prompt().contains("# Earlier iterations"), "1-5 are all verbatim");
        String seventh = provider.requests.get(6).prompt();
        assertTrue(seventh.contains("# Earlier iterations (summaries; the last 5 are in the conversation)\n\n"
                + "- #1: summary of step 1\n\n"), seventh);
        assertEquals(5 * 2, provider.requests.get(6).history().size(), "five iterations verbatim");
        assertTrue(provider.requests.get(6).history().get(1).text().equals("summary of step 2"));

        JsonNode state = Json.MAPPER.readTree(fx.workspace.resolve(".loopwire/loops/" + id + "/state.json").toFile());
        JsonNode budget = state.path("policy").path("contextBudget");
        assertEquals(7, budget.path("iteration").asInt(), budget.toString());
        assertEquals("history", budget.path("mode").asText());
        assertEquals(5, budget.path("verbatimIterations").asInt());
        assertEquals(1, budget.path("summarizedIterations").asInt());
        assertEquals(0, budget.path("omittedIterations").asInt());
        assertEquals(seventh.length(), budget.path("promptChars").asInt());
        dev.loopwire.protocol.ContextBudget reported = result.contextBudget();
        assertEquals(new dev.loopwire.protocol.ContextBudget(7, "history", 5, 1, 0, seventh.length(),
                budget.path("historyChars").asLong()), reported, "loop/get reports the same budget");
        assertTrue(reported.historyChars() > 0);
    }
}
