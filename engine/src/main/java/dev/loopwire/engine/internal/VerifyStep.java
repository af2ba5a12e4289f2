package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.LoopRuntime.fields;

import dev.loopwire.engine.internal.stop.ArtifactProgress;
import dev.loopwire.engine.internal.stop.CheckCommand;
import dev.loopwire.engine.internal.stop.DoneGate;
import dev.loopwire.engine.internal.stop.DoneTokenPolicy;
import dev.loopwire.engine.internal.stop.FailureStreakPolicy;
import dev.loopwire.engine.internal.stop.IterationFacts;
import dev.loopwire.engine.internal.stop.IterationPolicies;
import dev.loopwire.engine.internal.stop.Judge;
import dev.loopwire.engine.internal.stop.PolicyState;
import dev.loopwire.engine.internal.stop.StopDecision;
import dev.loopwire.engine.internal.stop.Verification;
import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.protocol.ToolCall;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The step between an iteration's tool calls and its completion: measure the workspace's
 * artifacts, ask the judge, run the check command (outside the loop's lock, the result kept in
 * the in-flight iteration), then, at completion, let the done gate and the streak policies of
 * {@code internal.stop} decide.
 */
final class VerifyStep {

    private final EngineContext ctx;

    VerifyStep(EngineContext ctx) {
        this.ctx = ctx;
    }

    /** Provider errors that may pass count as failed iterations (failure streaks) instead of ending the loop. */
    static boolean countsAsFailedIteration(ProviderException e) {
        return e.kind() == ProviderException.Kind.TRANSIENT || e.kind() == ProviderException.Kind.PROTOCOL;
    }

    /** Before the first prompt: the artifact baseline, so that iteration 1's changes are known. */
    void baseline(LoopRuntime rt) throws IOException {
        rt.artifacts.baselineIfMissing(rt.cancel);
        synchronized (rt) {
            if (rt.state.policy.memorySha == null) {
                rt.state.policy.memorySha = Json.sha256(rt.dir.readMemory());
            }
        }
    }

    /** Measures and checks once per iteration (a restart reuses what was recorded). */
    void run(LoopRuntime rt, int gen, LoopState.InFlight f) throws IOException, InterruptedException {
        boolean claims;
        synchronized (rt) {
            rt.checkGeneration(gen);
            if (f.verification != null) {
                return;
            }
            claims = f.turn.failure == null && DoneTokenPolicy.claimsDone(f.turn.text, rt.config.doneToken());
        }
        Verification v = new Verification();
        ArtifactProgress.ScanReport scan = rt.artifacts.measure(rt.cancel, v);
        if (rt.config.judge() != null && rt.config.judge().provider() != null && f.turn.failure == null) {
            askJudge(rt, gen, f, v);
        }
        if (f.turn.failure == null && CheckCommand.due(rt.config.check(), claims || Boolean.TRUE.equals(v.judgeSatisfied))) {
            IterationRunner.progress(rt, f.index, "check", "running the check: " + rt.config.check().command());
            CheckCommand.run(rt.config.check(), rt.workspace, ctx.commandEnvironment, ctx.options.commandRunner(),
                    rt.cancel, new StateProcessTracker(rt), v);
            v.checkTail = ctx.redactor.redact(v.checkTail);
        }
        synchronized (rt) {
            rt.checkGeneration(gen);
            f.verification = v;
            rt.persist();
            rt.journal("verification", fields("iteration", f.index, "artifactsChanged", v.artifactsChanged,
                    "checkPassed", v.checkPassed, "checkExitCode", v.checkExitCode, "checkTail", v.checkTail,
                    "judgeSatisfied", v.judgeSatisfied, "judgeReason", v.judgeReason,
                    "artifactScan", scanFields(scan)));
        }
    }

    private void askJudge(LoopRuntime rt, int gen, LoopState.InFlight f, Verification v)
            throws IOException, InterruptedException {
        var spec = rt.config.judge().provider();
        int callIndex;
        synchronized (rt) {
            callIndex = rt.state.policy.judgeCalls;
        }
        IterationRunner.progress(rt, f.index, "judge", "asking the judge " + spec.id());
        try {
            Provider judge = ctx.options.providers().create(spec, new ProviderContext(rt.workspace,
                    ctx.options.environment(), ctx.options.userConfigDir(), new StateProcessTracker(rt)));
            ctx.declareSecrets(judge.secrets());
            Judge.Verdict verdict = Judge.ask(judge, spec, rt.loopId(), f.index, callIndex, rt.config.goal(),
                    f.turn.text, rt.workspace, rt.cancel);
            v.judgeSatisfied = verdict.satisfied();
            v.judgeReason = ctx.redactor.redact(verdict.reason());
            synchronized (rt) {
                rt.checkGeneration(gen);
                rt.state.inputTokens += verdict.turn().usage().inputTokens();
                rt.state.outputTokens += verdict.turn().usage().outputTokens();
                if (verdict.turn().usage().costUsd() != null) {
                    rt.state.costUsd = (rt.state.costUsd == null ? 0 : rt.state.costUsd)
                            + verdict.turn().usage().costUsd();
                }
            }
        } catch (ProviderException e) {
            v.judgeSatisfied = false;
            v.judgeReason = "the judge " + spec.id() + " failed (" + e.kind().name().toLowerCase(Locale.ROOT) + "): "
                    + ctx.redactor.redact(e.getMessage());
        }
        synchronized (rt) {
            rt.state.policy.judgeCalls = callIndex + 1;
        }
    }

    /**
     * At completion (lock held): the done gate when a check or judge guards the claim, and every
     * streak policy (their counters move on every iteration). Returns the gate's success first,
     * then {@code budgets}' decision, then a streak's.
     */
    Optional<StopDecision> decide(LoopRuntime rt, LoopState.InFlight f, String summary, List<ToolCall> calls,
            java.util.function.Function<String, Optional<StopDecision>> budgets) throws IOException {
        PolicyState ps = rt.state.policy;
        Verification v = f.verification == null ? new Verification() : f.verification;
        boolean judge = rt.config.judge() != null && rt.config.judge().provider() != null;
        boolean guarded = DoneGate.guards(rt.config.check(), judge);
        String text = f.turn.failure == null ? f.turn.text : null;
        boolean claims = text != null && DoneTokenPolicy.claimsDone(text, rt.config.doneToken());
        Optional<StopDecision> done = guarded
                ? DoneGate.decide(claims, rt.config.doneToken(), rt.config.check(), judge, v, ps)
                : Optional.empty();
        ps.artifactsSection = v.artifactsSection;
        boolean memoryChanged = ps.memorySha != null && !Json.sha256(rt.dir.readMemory()).equals(ps.memorySha);
        IterationFacts facts = new IterationFacts(f.index, summary, v.artifactsChanged, memoryChanged,
                failure(f.turn, calls), f.invalidPlan);
        Optional<StopDecision> streak = IterationPolicies.of(rt.config.stop()).observe(facts, ps);
        if (done.isPresent()) {
            return done;
        }
        Optional<StopDecision> budget = budgets.apply(guarded ? null : text);
        return budget.isPresent() ? budget : streak;
    }

    /** What the artifact scan did, for the journal (null when it failed). */
    private static java.util.Map<String, Object> scanFields(ArtifactProgress.ScanReport scan) {
        if (scan == null) {
            return null;
        }
        var s = scan.stats();
        return fields("watched", scan.watched(), "millis", Math.round(scan.totalMillis() * 100) / 100.0,
                "scanMillis", Math.round(s.elapsed().toNanos() / 1e4) / 100.0, "directoriesTrusted",
                s.directoriesTrusted(), "directoriesReused", s.directoriesReused(), "directoriesListed",
                s.directoriesListed(), "entriesStatted", s.entriesStatted());
    }

    /** The failure signature of an iteration, or null: a failed provider call, or every tool call failed. */
    static String failure(LoopState.Turn turn, List<ToolCall> calls) {
        if (turn.failure != null) {
            return "provider " + turn.failure;
        }
        if (!calls.isEmpty() && calls.stream().allMatch(c -> "error".equals(c.status()))) {
            ToolCall first = calls.get(0);
            return "tool " + first.name() + ": " + FailureStreakPolicy.signature(first.output());
        }
        return null;
    }
}
