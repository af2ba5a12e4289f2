package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.LoopRuntime.fields;

import dev.loopwire.engine.internal.stop.BudgetForecast;
import dev.loopwire.engine.internal.stop.StopContext;
import dev.loopwire.engine.internal.stop.StopDecision;
import dev.loopwire.engine.spi.ChatMessage;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ToolCallRequest;
import dev.loopwire.engine.spi.TurnRequest;
import dev.loopwire.engine.spi.TurnResult;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.LoopIterationParams;
import dev.loopwire.protocol.LoopProgressParams;
import dev.loopwire.protocol.LoopStatus;
import dev.loopwire.protocol.ToolCall;
import dev.loopwire.protocol.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One iteration: prompt, provider turn, tool calls through the gate, record, stop checks. Each
 * step persists what it produced before the next begins, so a run can stop anywhere (crash,
 * approval, cancel) and continue from the state file: a received turn is never requested again.
 */
final class IterationRunner {

    /** How a run of {@link #run} ended. */
    enum End {
        /** The iteration completed and the loop goes on (status running or waiting). */
        NEXT,
        /** The loop rests or ended (the status says which). */
        REST,
        /** A tool call waits for a person. */
        AWAITING
    }

    /** Seconds between {@code loop/progress} heartbeats during a long silent phase. */
    static final long HEARTBEAT_SECONDS = 10;

    private final EngineContext ctx;
    private final ToolCalls toolCalls;
    private final VerifyStep verify;
    private final AgentTurnGate agentGate;
    private final ScheduledExecutorService scheduler;

    IterationRunner(EngineContext ctx, ScheduledExecutorService scheduler) {
        this.ctx = ctx;
        this.scheduler = scheduler;
        this.toolCalls = new ToolCalls(ctx, this);
        this.verify = new VerifyStep(ctx);
        this.agentGate = new AgentTurnGate(ctx, toolCalls);
    }

    ToolCalls toolCalls() {
        return toolCalls;
    }

    /**
     * Sends a {@code loop/progress} heartbeat every {@link #HEARTBEAT_SECONDS} until closed, so
     * that clients see a long provider call or command is still alive.
     */
    AutoCloseable heartbeat(LoopRuntime rt, int iteration, String phase, String what) {
        long started = System.nanoTime();
        ScheduledFuture<?> beat = scheduler.scheduleAtFixedRate(() -> progress(rt, iteration, phase,
                what + " (" + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + " s)"),
                HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        return () -> beat.cancel(false);
    }

    End run(LoopRuntime rt, int gen) throws InterruptedException, IOException {
        LoopState.InFlight f = begin(rt, gen);
        if (f == null) {
            return End.REST;
        }
        if (f.turn == null && rt.provider.runsOwnTools()
                && agentGate.check(rt, gen, f) == AgentTurnGate.Step.AWAIT) {
            return End.AWAITING;
        }
        if (f.turn == null && !requestTurn(rt, gen, f)) {
            return End.REST;
        }
        while (!rt.provider.runsOwnTools() && f.results.isEmpty() && f.turn.failure == null) {
            java.util.Map<String, String> problems = PlanCheck.problems(ctx.tools, f.turn.toolCalls);
            if (problems.isEmpty()) {
                break;
            }
            synchronized (rt) {
                rt.checkGeneration(gen);
                if (f.planRetries >= PlanCheck.MAX_RETRIES) {
                    f.invalidPlan = true;
                    rt.persist();
                    break;
                }
                List<ChatMessage> repair = new ArrayList<>(f.repair == null ? List.of() : f.repair);
                repair.addAll(PlanCheck.attempt(f.repair == null ? f.prompt : PlanCheck.REPAIR_PROMPT, f.turn,
                        problems));
                f.repair = repair;
                f.planRetries++;
                f.turn = null;
                rt.persist();
                rt.journal("plan_invalid", fields("iteration", f.index, "retry", f.planRetries, "problems", problems));
            }
            if (!requestTurn(rt, gen, f)) {
                return End.REST;
            }
        }
        if (!rt.provider.runsOwnTools()) {
            for (int i = f.results.size(); i < f.turn.toolCalls.size(); i++) {
                ToolCalls.Step step = toolCalls.run(rt, gen, f, f.turn.toolCalls.get(i));
                if (step == ToolCalls.Step.AWAIT) {
                    return End.AWAITING;
                }
                if (step == ToolCalls.Step.STOP) {
                    toolCalls.skipRest(rt, gen, f);
                    break;
                }
            }
        }
        verify.run(rt, gen, f);
        return complete(rt, gen, f);
    }

    /** The in-flight iteration, a new one, or null when a budget forbids starting one. */
    private LoopState.InFlight begin(LoopRuntime rt, int gen) throws IOException {
        synchronized (rt) {
            rt.checkGeneration(gen);
            rt.startSegment();
            if (rt.state.inFlight != null) {
                return rt.state.inFlight;
            }
            Optional<StopDecision> stop = ctx.policies.check(stopContext(rt, null));
            if (stop.isPresent()) {
                rt.setStatus(stop.get().status(), stop.get().reason());
                return null;
            }
            LoopState.InFlight f = new LoopState.InFlight();
            f.index = rt.state.iteration + 1;
            f.startedAt = rt.now();
            f.callIndex = rt.state.providerCalls;
            rt.state.inFlight = f;
            rt.persist();
            rt.journal("iteration_started", fields("iteration", f.index, "callIndex", f.callIndex));
            progress(rt, f.index, "prompt", "building the prompt");
            return f;
        }
    }

    private boolean requestTurn(LoopRuntime rt, int gen, LoopState.InFlight f)
            throws IOException, InterruptedException {
        return requestTurn(rt, gen, f, 0);
    }

    private boolean requestTurn(LoopRuntime rt, int gen, LoopState.InFlight f, int coolDowns)
            throws IOException, InterruptedException {
        verify.baseline(rt);
        List<String> workspaceSections = PromptContext.readWorkspace(rt.workspace);
        LoopMemory memory = new LoopMemory(rt);
        TurnRequest request;
        long requestChars;
        synchronized (rt) {
            rt.checkGeneration(gen);
            String memoryText = memory.readNoticingEdits();
            boolean fresh = rt.provider.runsOwnTools() || rt.config.historyIterations() <= 0;
            List<String> earlier = fresh ? List.of() : VerbatimWindow.earlierSummaries(rt.iterations,
                    rt.state.history.size());
            String prompt = PromptBuilder.prompt(rt.config, f.index, rt.workspace.relativize(rt.dir.memoryFile())
                    .toString(), memoryText, fresh ? rt.state.lastRecord : null,
                    PromptContext.of(workspaceSections, rt.state.policy), earlier);
            List<ChatMessage> history = new ArrayList<>();
            if (!fresh) {
                rt.state.history.forEach(history::addAll);
            }
            if (f.repair != null) {
                history.addAll(f.repair);
            }
            if (f.repair != null) {
                prompt = PlanCheck.REPAIR_PROMPT;
            }
            rt.state.policy.contextBudget = VerbatimWindow.report(f.index, fresh, rt.state.history.size(),
                    rt.iterations.size(), earlier, prompt, history);
            f.callIndex = rt.state.providerCalls;
            String system = PromptBuilder.system(rt.config);
            requestChars = BudgetForecast.chars(system, prompt, history);
            BudgetForecast forecast = BudgetForecast.of(rt.state.policy, requestChars);
            StopContext spent = stopContext(rt, null); // what this run used (a scheduled loop's runs each have the whole budget)
            long used = spent.tokens();
            Optional<StopDecision> stop = forecast.check(rt.config.budget(), used, spent.costUsd());
            if (stop.isPresent()) {
                rt.journal("budget_forecast", fields("iteration", f.index, "callIndex", f.callIndex,
                        "inputTokens", forecast.inputTokens(), "costUsd", forecast.costUsd()));
                rt.setStatus(stop.get().status(), stop.get().reason());
                return false;
            }
            Long maxOut = forecast.maxOutputTokens(rt.config.budget(), used);
            request = new TurnRequest(rt.loopId(), f.index, f.callIndex, system, prompt,
                    history, rt.provider.runsOwnTools() ? List.of() : ctx.toolSpecs,
                    rt.config.provider().model(), maxOut, rt.config.provider().options(), rt.workspace);
            progress(rt, f.index, "provider", "waiting for " + rt.config.provider().id());
        }
        StreamSink sink = new StreamSink(rt, f.index, ctx.redactor, gen, scheduler);
        TurnResult result;
        boolean noteUnknownCost;
        // the sink closes first (its pending text goes out before anything that follows the turn)
        try (AutoCloseable beat = heartbeat(rt, f.index, "provider", "waiting for " + rt.config.provider().id());
                StreamSink streamed = sink) {
            result = rt.provider.turn(request, sink, rt.cancel);
        } catch (ProviderException e) {
            if (CoolDown.applies(e, coolDowns)) {
                CoolDown.await(rt, gen, f.index, e, ctx.redactor.redact(e.getMessage()), this);
                return requestTurn(rt, gen, f, coolDowns + 1);
            }
            if (VerifyStep.countsAsFailedIteration(e)) {
                synchronized (rt) {
                    rt.checkGeneration(gen);
                    String message = ctx.redactor.redact(e.getMessage());
                    rt.journal("provider_error", fields("iteration", f.index, "callIndex", f.callIndex,
                            "kind", e.kind().name(), "message", message));
                    LoopState.Turn failed = new LoopState.Turn();
                    failed.text = "";
                    failed.failure = e.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + message;
                    f.turn = failed;
                    f.prompt = f.repair == null ? request.prompt() : f.prompt;
                    rt.state.providerCalls = f.callIndex + 1;
                    rt.persist();
                }
                return true;
            }
            synchronized (rt) {
                rt.checkGeneration(gen);
                rt.journal("provider_error", fields("iteration", f.index, "callIndex", f.callIndex,
                        "kind", e.kind().name(), "message", ctx.redactor.redact(e.getMessage())));
                rt.setStatus(LoopStatus.FAILED, "provider " + rt.config.provider().id() + " failed ("
                        + e.kind().name().toLowerCase(java.util.Locale.ROOT) + "): "
                        + ctx.redactor.redact(e.getMessage()));
            }
            return false;
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        synchronized (rt) {
            rt.checkGeneration(gen);
            LoopState.Turn turn = new LoopState.Turn();
            turn.text = ctx.redactor.redact(result.text());
            turn.toolCalls = withIds(result.toolCalls(), f.callIndex);
            turn.inputTokens = result.usage().inputTokens();
            turn.outputTokens = result.usage().outputTokens();
            turn.costUsd = result.usage().costUsd();
            turn.stopReason = result.stopReason();
            turn.agentToolCalls = sink.agentToolCalls();
            f.turn = turn;
            f.prompt = f.repair == null ? request.prompt() : f.prompt;
            rt.state.providerCalls = f.callIndex + 1;
            rt.state.inputTokens += turn.inputTokens;
            rt.state.outputTokens += turn.outputTokens;
            if (turn.costUsd != null) {
                rt.state.costUsd = (rt.state.costUsd == null ? 0 : rt.state.costUsd) + turn.costUsd;
            }
            BudgetForecast.remember(rt.state.policy, requestChars, turn.inputTokens, turn.outputTokens, turn.costUsd);
            noteUnknownCost = turn.costUsd == null && rt.config.budget() != null
                    && rt.config.budget().maxCostUsd() != null && !rt.state.policy.costUnknownNoted;
            rt.state.policy.costUnknownNoted |= noteUnknownCost;
            rt.persist();
            rt.journal("turn", fields("iteration", f.index, "callIndex", f.callIndex, "promptChars",
                    request.prompt() == null ? null : request.prompt().length(), "text", turn.text,
                    "toolCalls", turn.toolCalls, "agentToolCalls", turn.agentToolCalls.isEmpty() ? null
                            : turn.agentToolCalls, "usage", fields("inputTokens", turn.inputTokens,
                            "outputTokens", turn.outputTokens, "costUsd", turn.costUsd),
                    "stopReason", turn.stopReason));
        }
        if (noteUnknownCost) { // outside the loop's lock: the sink's own lock comes first
            sink.log(String.format(java.util.Locale.ROOT, "cost unknown: provider %s reports no cost%s, so"
                    + " maxCostUsd $%.4f cannot be enforced (tokens are still counted; add the model's"
                    + " price under \"pricing\" in config.json, or use maxTokens)", rt.config.provider().id(),
                    rt.config.provider().model() == null ? "" : " for model " + rt.config.provider().model(),
                    rt.config.budget().maxCostUsd()));
        }
        return true;
    }

    private End complete(LoopRuntime rt, int gen, LoopState.InFlight f) throws IOException {
        IterationRecord record;
        LoopStatus before;
        LoopStatus next;
        synchronized (rt) {
            rt.checkGeneration(gen);
            rt.accrue();
            before = rt.status();
            LoopState.Turn turn = f.turn;
            boolean ownTools = rt.provider.runsOwnTools();
            List<ToolCall> calls = ownTools ? turn.agentToolCalls : f.results;
            String summary = f.refusal != null ? Summaries.of(f.refusal, List.of(), "")
                    : turn.failure != null ? Summaries.of("provider error: " + turn.failure, List.of(), "")
                    : Summaries.of(turn.text, calls, rt.config.doneToken());
            double duration = f.activeSeconds;
            if (!ownTools && turn.failure == null) {
                rt.state.history.add(conversation(f));
                while (rt.state.history.size() > Math.max(0, rt.config.historyIterations())) {
                    rt.state.history.remove(0);
                }
            }
            rt.state.iteration = f.index;
            rt.state.inFlight = null;
            rt.state.stateVersion++;
            Optional<StopDecision> stop = f.rejectedStop
                    ? Optional.of(new StopDecision(LoopStatus.APPROVAL_DENIED, rejectionReason(f)))
                    : verify.decide(rt, f, summary, calls, text -> ctx.policies.check(stopContext(rt, text)));
            String outcome = stop.isPresent() && stop.get().status() == LoopStatus.SUCCEEDED ? "done"
                    : turn.failure != null ? "failed" : "continue";
            record = new IterationRecord(f.index, f.startedAt, duration, summary, List.copyOf(calls),
                    new Usage(1, turn.inputTokens, turn.outputTokens, turn.costUsd, duration), outcome);
            rt.state.lastRecord = record;
            if (stop.isPresent()) {
                next = stop.get().status();
                rt.state.reason = stop.get().reason();
            } else if (rt.pauseRequested || rt.stepFuture != null) {
                next = LoopStatus.PAUSED;
                rt.state.reason = rt.stepFuture != null ? "stepped: iteration " + f.index + " done"
                        : "paused after iteration " + f.index;
            } else {
                rt.waitPlan = LoopWaits.plan(ctx, rt, f.index, turn.text);
                next = rt.waitPlan != null ? LoopStatus.WAITING : LoopStatus.RUNNING;
                rt.state.reason = rt.waitPlan != null ? rt.waitPlan.reason() : null;
            }
            rt.state.status = next.wire();
            // memory first, then one state write that also holds its new digest: a crash in between
            // leaves the progress line, which the completed-again iteration then finds and keeps
            LoopMemory memory = new LoopMemory(rt);
            String progress = memory.writeProgressLine(record.index(), record.summary());
            rt.state.policy.memorySha = rt.state.memorySha;
            rt.persist();
            rt.journal("iteration", fields("record", record));
            rt.iterations.add(record);
            if (progress != null) {
                rt.journal("memory_progress", fields("section", MemoryText.PROGRESS, "line", progress));
                memory.announce();
            }
        }
        rt.commit();
        LoopIterationParams params = new LoopIterationParams(rt.loopId(), record);
        rt.emit(l -> l.onIteration(params));
        synchronized (rt) {
            if (next != before) {
                rt.journal("status", fields("status", next.wire(), "reason", rt.state.reason));
                rt.commit();
                rt.emitStatus();
            }
        }
        return next == LoopStatus.RUNNING || next == LoopStatus.WAITING ? End.NEXT : End.REST;
    }

    /** Every call with an id of its own (providers may send none, or the same one twice). */
    static List<ToolCallRequest> withIds(List<ToolCallRequest> calls, int callIndex) {
        List<ToolCallRequest> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < calls.size(); i++) {
            ToolCallRequest c = calls.get(i);
            String id = c.id();
            if (id == null || id.isBlank() || !seen.add(id)) {
                id = "call_" + callIndex + "_" + i;
                seen.add(id);
            }
            out.add(id.equals(c.id()) ? c : new ToolCallRequest(id, c.name(), c.input(), c.rawInput()));
        }
        return out;
    }

    private static String rejectionReason(LoopState.InFlight f) {
        if (f.refusal != null) {
            return f.refusal;
        }
        return f.results.stream().filter(c -> "rejected".equals(c.status())).reduce((a, b) -> b)
                .map(c -> "a person rejected " + c.name() + " and approval.onReject is stop")
                .orElse("a person rejected a tool call and approval.onReject is stop");
    }

    /** The iteration as API providers see it next time: prompt, assistant turn, tool results. */
    private static List<ChatMessage> conversation(LoopState.InFlight f) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(ChatMessage.user(f.prompt == null ? "" : f.prompt));
        messages.add(ChatMessage.assistant(f.turn.text, f.turn.toolCalls));
        for (ToolCallRequest call : f.turn.toolCalls) {
            ToolCall result = f.results.stream().filter(r -> r.id().equals(call.id())).findFirst().orElse(null);
            String output = result == null ? "not run" : result.output() == null ? "" : result.output();
            boolean error = result == null || !"ok".equals(result.status());
            messages.add(ChatMessage.toolResult(call.id(), call.name(), output, error));
        }
        return messages;
    }

    StopContext stopContext(LoopRuntime rt, String text) {
        synchronized (rt) {
            rt.accrue();
            var s = rt.state.schedule;
            if (s != null && s.run > 0 && !s.betweenRuns) { // a scheduled loop: each run has the whole budget
                return new StopContext(rt.config.budget(), rt.state.iteration - s.baseIterations,
                        rt.state.inputTokens + rt.state.outputTokens - s.baseInputTokens - s.baseOutputTokens,
                        dev.loopwire.engine.internal.schedule.ScheduleState.costSince(rt.state.costUsd, s.baseCostUsd),
                        rt.state.elapsedSeconds - s.baseElapsedSeconds, text, rt.config.doneToken());
            }
            if (s != null) { // before the first run or between runs: the next run starts afresh
                return new StopContext(rt.config.budget(), 0, 0, null, 0, text, rt.config.doneToken());
            }
            return new StopContext(rt.config.budget(), rt.state.iteration, rt.state.inputTokens + rt.state.outputTokens,
                    rt.state.costUsd, rt.state.elapsedSeconds, text, rt.config.doneToken());
        }
    }

    static void progress(LoopRuntime rt, int iteration, String phase, String message) {
        LoopProgressParams params = new LoopProgressParams(rt.loopId(), iteration, phase, message, rt.usage());
        rt.emit(l -> l.onProgress(params));
    }
}
