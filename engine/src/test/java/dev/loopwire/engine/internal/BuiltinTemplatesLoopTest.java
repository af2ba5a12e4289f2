package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.ScriptedTestProvider.call;
import static dev.loopwire.engine.internal.ScriptedTestProvider.text;
import static dev.loopwire.engine.internal.ScriptedTestProvider.tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.LoopException;
import dev.loopwire.engine.tools.BuiltinTools;
import dev.loopwire.protocol.ErrorCode;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.TemplateInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every built-in template runs on scripted turns; template defaults and args reach the loop. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BuiltinTemplatesLoopTest {

    static final Set<String> TERMINAL = Set.of("succeeded", "failed", "no_progress", "budget_exhausted",
            "cancelled", "paused", "approval_denied");

    @TempDir
    Path temp;

    private record Run(String id, LoopStatusParams end, LoopConfig config) {
    }

    private static ScriptedTestProvider.Turn write(String text, String path, String content) {
        return tools(text, call(null, "write_file", Map.of("path", path, "content", content)));
    }

    private static StartLoopParams params(EngineFixture fx, String template, Map<String, Object> args) {
        StartLoopParams p = fx.params("the goal", null, EngineFixture.approval("auto", null), true);
        return new StartLoopParams(p.workspace(), p.goal(), p.goalFile(), template, args, p.provider(), p.budget(),
                p.approval(), p.autoRun(), p.name(), p.check(), p.judge(), p.stop(), p.waits(), p.schedule(),
                p.doneToken());
    }

    private static DefaultLoopEngine engine(EngineFixture fx, ScriptedTestProvider provider) {
        return new DefaultLoopEngine(fx.options(new TestProviderRegistry().with("scripted", provider)),
                BuiltinTools.all(), StoreObserver.NONE);
    }

    private Run run(EngineFixture fx, ScriptedTestProvider provider, StartLoopParams params) throws Exception {
        try (DefaultLoopEngine engine = engine(fx, provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(params).loopId();
            while (true) {
                if (events.next() instanceof LoopStatusParams s && TERMINAL.contains(s.status())) {
                    String json = Files.readString(fx.workspace.resolve(".loopwire/loops/" + id + "/loop.json"));
                    return new Run(id, s, Json.MAPPER.readValue(json, LoopConfig.class));
                }
            }
        }
    }

    @Test
    void everyBuiltinIsListedWithADescription() {
        List<TemplateInfo> list = new Templates(null).list(null);
        assertEquals(List.of("default", "experiment", "derivation", "testfix", "ralph"),
                list.stream().map(TemplateInfo::name).toList());
        list.forEach(t -> assertTrue(t.source().equals("builtin") && t.description().length() > 20, t.toString()));
    }

    @Test
    void defaultTemplateRuns() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(text("did it\n<promise>DONE</promise>")));
        Run run = run(fx, provider, params(fx, "default", null));
        assertEquals("succeeded", run.end().status());
        assertEquals(20, run.config().budget().maxIterations());
        assertTrue(provider.requests.get(0).system().contains("\n<promise>DONE</promise>\n"));
    }

    @Test
    void experimentTemplateAsksForPidsAndCarriesItsWaitDefaults() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                write("launched nothing yet, wrote the plan", "results/plan.txt", "run 1\n"),
                text("measured\n<promise>DONE</promise>")));
        Run run = run(fx, provider, params(fx, "experiment", null));
        assertEquals("succeeded", run.end().status(), run.end().reason());
        String system = provider.requests.get(0).system();
        assertTrue(system.startsWith("You run measurements."), system);
        assertTrue(system.contains("<pid_number>12345</pid_number>") && system.contains("<wait_seconds>N</wait_seconds>"),
                system);
        assertEquals(6000.0, run.config().waits().maxWaitSeconds());
        assertEquals(5.0, run.config().waits().pidPollSeconds());
        assertEquals(1.0, run.config().waits().intervalSeconds());
        assertEquals(30, run.config().budget().maxIterations());
        assertEquals(5, run.config().stop().noProgressIterations());
        assertTrue(provider.requests.get(1).prompt().contains("- results/plan.txt | new | 6 bytes"),
                provider.requests.get(1).prompt());
    }

    @Test
    void derivationTemplateRecordsEachStepAsAnArtifact() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                write("step 1: the definition", "derivation/step-01.md", "Let x be...\n"),
                text("thinking"), text("still thinking"), text("thinking more"), text("unreached")));
        Run run = run(fx, provider, params(fx, "derivation", null));
        assertTrue(provider.requests.get(0).system().contains("one key step per round"));
        assertTrue(provider.requests.get(1).prompt().contains("- derivation/step-01.md | new"),
                provider.requests.get(1).prompt());
        assertEquals("no_progress", run.end().status(), "a round without an artifact is no progress");
        assertEquals(4, provider.requests.size());
    }

    @Test
    void testfixTemplateRejectsAClaimUntilItsTestCommandPasses() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                text("fixed it\n<promise>DONE</promise>"),
                write("really fixed\n<promise>DONE</promise>", "fixed.txt", "y")));
        Run run = run(fx, provider, params(fx, "testfix",
                Map.of("testCommand", "test -f fixed.txt || { echo '1 test failed: fixed.txt'; exit 1; }")));
        assertEquals("succeeded", run.end().status(), run.end().reason());
        assertEquals(900.0, run.config().check().timeoutSeconds());
        assertTrue(provider.requests.get(0).system().contains("The test command is: `test -f fixed.txt"));
        assertTrue(provider.requests.get(1).prompt().contains("1 test failed: fixed.txt"));
        StartLoopParams p = params(fx, "testfix", null);
        StartLoopParams noApproval = new StartLoopParams(p.workspace(), p.goal(), p.goalFile(), p.template(), p.args(),
                p.provider(), p.budget(), null, p.autoRun(), p.name(), p.check(), p.judge(), p.stop(), p.waits(),
                p.schedule(), p.doneToken());
        LoopConfig defaults = new StartValidator(new Templates(null)).resolve(noApproval, fx.workspace, null, "x", "now");
        assertEquals("ask", defaults.approvalMode());
        assertEquals("npm test", defaults.check().command(), "the testCommand argument's default");
    }

    @Test
    void ralphTemplateGivesTheSamePromptWithAFreshContextEachIteration() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                write("did item 1", "PLAN.md", "- [x] item 1\n- [ ] item 2\n"),
                write("did item 2\n<promise>DONE</promise>", "PLAN.md", "- [x] item 1\n- [x] item 2\n")));
        Run run = run(fx, provider, params(fx, "ralph", null));
        assertEquals("succeeded", run.end().status());
        assertEquals(0, run.config().historyIterations());
        assertTrue(provider.requests.get(1).history().isEmpty(), "fresh context: no conversation");
        assertEquals(provider.requests.get(0).system(), provider.requests.get(1).system());
    }

    @Test
    void argsFillPlaceholdersAndAMissingOneIsAnErrorNamingIt() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        Files.createDirectories(fx.workspace.resolve(".loopwire/templates"));
        Files.writeString(fx.workspace.resolve(".loopwire/templates/port.md"), "---\nname: port\n"
                + "description: ports a module\nrequired: module\nargs:\n  lang: Kotlin\n---\n"
                + "Port {{module}} to {{lang}}.\n");
        StartValidator validator = new StartValidator(new Templates(fx.userConfig));
        LoopException missing = assertThrows(LoopException.class,
                () -> validator.resolve(params(fx, "port", null), fx.workspace, null, "x", "now"));
        assertEquals(ErrorCode.INVALID_LOOP_CONFIG, missing.code());
        assertTrue(missing.getMessage().contains("template port needs the argument module"), missing.getMessage());
        LoopConfig config = validator.resolve(params(fx, "port", Map.of("module", "billing")), fx.workspace, null,
                "x", "now");
        assertEquals("Port billing to Kotlin.", PromptBuilder.system(config));
        LoopException unknown = assertThrows(LoopException.class,
                () -> validator.resolve(params(fx, "nope", null), fx.workspace, null, "x", "now"));
        assertTrue(unknown.getMessage().contains("available: port, default, experiment, derivation, testfix, ralph"),
                unknown.getMessage());
        assertFalse(Files.exists(fx.workspace.resolve(".loopwire/loops")), "a bad start writes nothing");
    }
}
