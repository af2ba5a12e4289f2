package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.ScriptedTestProvider.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.LoopException;
import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.ApprovalRule;
import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.ErrorCode;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StartLoopParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StartValidationTest {

    @TempDir
    Path temp;

    private static StartLoopParams with(StartLoopParams p, String workspace, String goal, String goalFile,
            String template, ProviderSpec provider, Budget budget, ApprovalConfig approval) {
        return new StartLoopParams(workspace, goal, goalFile, template, p.args(), provider, budget, approval,
                p.autoRun(), p.name(), p.check(), p.judge(), p.stop(), p.waits(), p.schedule(), p.doneToken());
    }

    private void assertRefused(EngineFixture fx, DefaultLoopEngine engine, ErrorCode code, String messagePart,
            UnaryOperator<StartLoopParams> change) throws Exception {
        LoopException e = assertThrows(LoopException.class, () -> engine.start(change.apply(fx.params("goal"))));
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        assertFalse(Files.exists(fx.workspace.resolve(".loopwire")), "nothing written for: " + e.getMessage());
    }

    @Test
    void badStartParamsAreRefusedAndChangeNothingOnDisk() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        Files.writeString(temp.resolve("outside.md"), "secret goal");
        Files.writeString(fx.workspace.resolve("a-file"), "x");
        try (DefaultLoopEngine engine = fx.engine(new ScriptedTestProvider(List.of(text("x"))))) {
            ErrorCode invalid = ErrorCode.INVALID_LOOP_CONFIG;
            assertRefused(fx, engine, invalid, "does not exist", p -> with(p, temp.resolve("nope").toString(),
                    p.goal(), null, null, p.provider(), null, null));
            assertRefused(fx, engine, invalid, "is not a directory", p -> with(p,
                    fx.workspace.resolve("a-file").toString(), p.goal(), null, null, p.provider(), null, null));
            assertRefused(fx, engine, invalid, "a goal is required", p -> with(p, p.workspace(), null, null, null,
                    p.provider(), null, null));
            assertRefused(fx, engine, ErrorCode.PATH_OUTSIDE_WORKSPACE, "outside", p -> with(p, p.workspace(), null,
                    "../outside.md", null, p.provider(), null, null));
            assertRefused(fx, engine, invalid, "does not exist in the workspace", p -> with(p, p.workspace(), null,
                    "missing.md", null, p.provider(), null, null));
            assertRefused(fx, engine, invalid, "budget.maxIterations", p -> with(p, p.workspace(), p.goal(), null,
                    null, p.provider(), new Budget(-1, null, null, null), null));
            assertRefused(fx, engine, invalid, "budget.maxCostUsd", p -> with(p, p.workspace(), p.goal(), null,
                    null, p.provider(), new Budget(null, null, null, -0.5), null));
            assertRefused(fx, engine, invalid, "approval.mode", p -> with(p, p.workspace(), p.goal(), null, null,
                    p.provider(), null, new ApprovalConfig("sometimes", null, null, null, null)));
            assertRefused(fx, engine, invalid, "approval.rules[0].decision", p -> with(p, p.workspace(), p.goal(),
                    null, null, p.provider(), null, new ApprovalConfig("ask",
                            List.of(new ApprovalRule("*", null, "perhaps")), null, null, null)));
            assertRefused(fx, engine, invalid, "approval.onReject", p -> with(p, p.workspace(), p.goal(), null,
                    null, p.provider(), null, new ApprovalConfig("ask", null, "explode", null, null)));
            assertRefused(fx, engine, invalid, "available: default", p -> with(p, p.workspace(), p.goal(), null,
                    "nonesuch", p.provider(), null, null));
            assertRefused(fx, engine, ErrorCode.PROVIDER_UNAVAILABLE, "unknown provider 'gpt-17'; available: scripted",
                    p -> with(p, p.workspace(), p.goal(), null, null, new ProviderSpec("gpt-17", null, null), null, null));
            assertRefused(fx, engine, ErrorCode.PROVIDER_UNAVAILABLE, "scripted", p -> with(p, p.workspace(),
                    p.goal(), null, null, null, null, null));
        }
    }

    @Test
    void anUnavailableProviderIsRefusedAtStart() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        TestProviderRegistry registry = new TestProviderRegistry().with("claude", new ScriptedTestProvider(List.of()));
        registry.unavailable = "claude";
        try (DefaultLoopEngine engine = new DefaultLoopEngine(fx.options(registry), fx.tools, StoreObserver.NONE)) {
            LoopException e = assertThrows(LoopException.class, () -> engine.start(with(fx.params("g"),
                    fx.workspace.toString(), "g", null, null, new ProviderSpec("claude", null, null), null, null)));
            assertEquals(ErrorCode.PROVIDER_UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains("not configured"), e.getMessage());
            assertFalse(Files.exists(fx.workspace.resolve(".loopwire")));
        }
    }

    @Test
    void withoutAProviderTheAutoSelectedOneIsUsed() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        TestProviderRegistry registry = new TestProviderRegistry().with("scripted",
                new ScriptedTestProvider(List.of(text("<promise>DONE</promise>"))));
        registry.autoSelected = new ProviderSpec("scripted", "m1", Map.of());
        try (DefaultLoopEngine engine = new DefaultLoopEngine(fx.options(registry), fx.tools, StoreObserver.NONE)) {
            var s = engine.start(with(fx.params("g"), fx.workspace.toString(), "g", null, null, null, null, null));
            assertEquals("scripted", s.provider().id());
            assertEquals("m1", s.provider().model());
        }
    }

    @Test
    void aGoalFileInTheWorkspaceAndTemplateDefaultsAreResolved() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        Files.writeString(fx.workspace.resolve("GOAL.md"), "Write the report.\n");
        Path templates = Files.createDirectories(fx.workspace.resolve(".loopwire/templates"));
        Files.writeString(templates.resolve("mine.md"), "---\nname: mine\ndescription: My own\nbudget:\n"
                + "  maxIterations: 7\napproval:\n  mode: auto\ndoneToken: FINISHED\n---\nDo {{what}} and say {{doneToken}}.\n");
        try (DefaultLoopEngine engine = fx.engine(new ScriptedTestProvider(List.of(text("FINISHED"))))) {
            StartLoopParams p = new StartLoopParams(fx.workspace.toString(), null, "GOAL.md", "mine",
                    Map.of("what", "the report"), new ProviderSpec("scripted", null, null), null, null, false, null,
                    null, null, null, null, null, null);
            var s = engine.start(p);
            assertEquals(7, s.budget().maxIterations());
            assertEquals("Write the report.", s.name());
            LoopConfig config = Json.MAPPER.readValue(fx.workspace.resolve(".loopwire/loops/" + s.loopId()
                    + "/loop.json").toFile(), LoopConfig.class);
            assertEquals("auto", config.approvalMode());
            assertEquals("FINISHED", config.doneToken());
            assertEquals("Do the report and say FINISHED.", PromptBuilder.system(config));
            assertEquals("Write the report.", config.goal());
            assertTrue(engine.templates(fx.workspace).stream().anyMatch(t -> t.name().equals("mine")
                    && t.source().equals("workspace") && t.description().equals("My own")));
            assertTrue(engine.templates(null).stream().anyMatch(t -> t.name().equals("default")
                    && t.source().equals("builtin")));
        }
    }

    @Test
    void loopIdsAreSortableAndUnique() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        try (DefaultLoopEngine engine = fx.engine(new ScriptedTestProvider(List.of()))) {
            for (int i = 0; i < 5; i++) {
                engine.start(fx.params("g", null, null, false));
            }
            try (Stream<Path> dirs = Files.list(fx.workspace.resolve(".loopwire/loops"))) {
                assertEquals(5, dirs.count());
            }
            assertEquals(5, engine.list(fx.workspace).size());
        }
    }
}
