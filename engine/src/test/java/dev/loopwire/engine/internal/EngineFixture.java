package dev.loopwire.engine.internal;

import dev.loopwire.engine.EngineOptions;
import dev.loopwire.engine.tools.Tool;
import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.ApprovalRule;
import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.WaitsConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Builds engines over a temporary workspace with test-double providers and tools. */
final class EngineFixture {

    /** A planted secret: the value of a secret-named variable in the engine's environment. */
    static final String SECRET = "planted-s3cr3t-value-4242";

    final TestTools.EchoTool echo = new TestTools.EchoTool();
    final TestTools.GuardedTool guarded = new TestTools.GuardedTool();
    final TestTools.BlockingTool blocking = new TestTools.BlockingTool();
    final List<Tool> tools = List.of(echo, guarded, blocking, new TestTools.NoteTool());
    final Path workspace;
    final Path userConfig;
    Clock clock = Clock.systemUTC();

    EngineFixture(Path temp) {
        this.workspace = temp.resolve("ws");
        this.userConfig = temp.resolve("user-config");
        try {
            java.nio.file.Files.createDirectories(workspace);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    EngineOptions options(TestProviderRegistry registry) {
        return new EngineOptions(registry, new ProcessBuilderTestCommandRunner(), clock, userConfig,
                Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "SECRET_TOKEN", EngineFixture.SECRET), 4, new ProcessHandleTestProbe());
    }

    DefaultLoopEngine engine(ScriptedTestProvider provider) {
        return engine(provider, StoreObserver.NONE);
    }

    DefaultLoopEngine engine(ScriptedTestProvider provider, StoreObserver observer) {
        return new DefaultLoopEngine(options(new TestProviderRegistry().with("scripted", provider)), tools, observer);
    }

    StartLoopParams params(String goal) {
        return params(goal, null, null, true);
    }

    StartLoopParams params(String goal, Budget budget, ApprovalConfig approval, boolean autoRun) {
        return new StartLoopParams(workspace.toString(), goal, null, null, null,
                new ProviderSpec("scripted", null, Map.of()), budget, approval, autoRun, "test", null, null, null,
                null, null, null);
    }

    StartLoopParams withDoneToken(StartLoopParams p, String token) {
        return new StartLoopParams(p.workspace(), p.goal(), p.goalFile(), p.template(), p.args(), p.provider(),
                p.budget(), p.approval(), p.autoRun(), p.name(), p.check(), p.judge(), p.stop(), p.waits(),
                p.schedule(), token);
    }

    StartLoopParams withInterval(StartLoopParams p, double seconds) {
        return new StartLoopParams(p.workspace(), p.goal(), p.goalFile(), p.template(), p.args(), p.provider(),
                p.budget(), p.approval(), p.autoRun(), p.name(), p.check(), p.judge(), p.stop(),
                new WaitsConfig(seconds, null, null), p.schedule(), p.doneToken());
    }

    static ApprovalConfig approval(String mode, String onReject, ApprovalRule... rules) {
        return new ApprovalConfig(mode, List.of(rules), onReject, null, null);
    }

    static Budget iterations(int n) {
        return new Budget(n, null, null, null);
    }
}
