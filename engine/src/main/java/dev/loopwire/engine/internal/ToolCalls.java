package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.LoopRuntime.fields;

import dev.loopwire.engine.internal.approval.ApprovalBinding;
import dev.loopwire.engine.internal.approval.PolicyFiles;
import dev.loopwire.engine.internal.approval.Preconditions;
import dev.loopwire.protocol.ApprovalResolvedParams;
import dev.loopwire.engine.spi.ToolCallRequest;
import dev.loopwire.engine.tools.Tool;
import dev.loopwire.engine.tools.ToolContext;
import dev.loopwire.engine.tools.ToolResult;
import dev.loopwire.engine.tools.Workspace;
import dev.loopwire.protocol.ApprovalOption;
import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApprovalRule;
import dev.loopwire.protocol.Decision;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopStatus;
import dev.loopwire.protocol.OutputKind;
import dev.loopwire.protocol.PendingApproval;
import dev.loopwire.protocol.ToolCall;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One tool call of an API provider's turn: validate, approval gate, execute, record. */
final class ToolCalls {

    enum Step { NEXT, AWAIT, STOP }

    static final List<ApprovalOption> OPTIONS = Arrays.stream(Decision.values())
            .map(d -> new ApprovalOption(d.wire(), d.label())).toList();

    private final EngineContext ctx;
    private final IterationRunner runner;

    ToolCalls(EngineContext ctx, IterationRunner runner) {
        this.ctx = ctx;
        this.runner = runner;
    }

    Step run(LoopRuntime rt, int gen, LoopState.InFlight f, ToolCallRequest call)
            throws IOException, InterruptedException {
        Map<String, Object> input = call.input() == null ? Map.of() : call.input();
        Tool tool = ctx.tools.get(call.name());
        String problem = problem(tool, call, input);
        if (problem != null) {
            synchronized (rt) {
                rt.checkGeneration(gen);
                record(rt, f, call, "error", problem);
            }
            return Step.NEXT;
        }
        String subject = subject(rt, tool, input);
        synchronized (rt) {
            rt.checkGeneration(gen);
            boolean allowed = false;
            if (f.decision != null && call.id().equals(f.approvalCallId)) {
                Decision decision = Decision.fromWire(f.decision).orElseThrow();
                String note = f.decisionNote;
                String scope = f.decisionScope;
                boolean bound = ApprovalBinding.actionDigest(call.name(), input, f.approvalStateVersion)
                        .equals(f.approvalDigest);
                f.forgetApproval();
                if (bound) {
                    if (decision.always()) {
                        String ruled = decision.allows() ? "allow" : "deny";
                        if ("workspace".equals(scope)) {
                            // a redacted subject no longer matches a command holding a secret: it is asked again
                            PolicyFiles.addExact(rt.workspace, tool.name(), ctx.redactor.redact(subject), ruled);
                        } else {
                            rt.state.rememberedRules.add(0, new ApprovalRule(tool.name(), subject, ruled));
                        }
                    }
                    if (!decision.allows()) {
                        record(rt, f, call, "rejected", "A person rejected this call"
                                + (note == null || note.isBlank() ? "." : ": " + note)
                                + " Do not repeat it; choose another approach.");
                        if (rt.config.stopOnReject()) {
                            f.rejectedStop = true;
                            return Step.STOP;
                        }
                        return Step.NEXT;
                    }
                    allowed = true;
                }
            }
            if (!allowed) {
                List<ApprovalRule> configured = rt.config.approval() == null || rt.config.approval().rules() == null
                        ? List.of() : rt.config.approval().rules();
                ApprovalGate.Ruling ruling = ApprovalGate.decide(rt.config.approvalMode(), rt.state.rememberedRules,
                        configured, PolicyFiles.read(PolicyFiles.workspaceFile(rt.workspace)),
                        PolicyFiles.read(PolicyFiles.userFile(ctx.options.userConfigDir())), tool, subject, input);
                if (ruling.verdict() == ApprovalGate.Verdict.DENY) {
                    record(rt, f, call, "denied", "Refused by the approval policy (" + ruling.why()
                            + "). Choose another approach.");
                    return Step.NEXT;
                }
                if (ruling.verdict() == ApprovalGate.Verdict.ASK) {
                    requestApproval(rt, f, call, tool, input, ruling.why());
                    return Step.AWAIT;
                }
            }
            f.runningCallId = call.id();
            rt.persist();
            rt.journal("tool_call", fields("iteration", f.index, "id", call.id(), "name", call.name(), "input", input));
            ToolCall started = new ToolCall(call.id(), call.name(), shown(input), "pending", null);
            emitOutput(rt, f.index, OutputKind.TOOL_CALL, started);
        }
        ToolResult result;
        IterationRunner.progress(rt, f.index, "tool", "running " + call.name());
        try (AutoCloseable beat = runner.heartbeat(rt, f.index, "tool", "running " + call.name())) {
            result = tool.execute(input, toolContext(rt, f.index, gen));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            result = ToolResult.error(call.name() + " failed unexpectedly: " + e);
        }
        synchronized (rt) {
            rt.checkGeneration(gen);
            f.runningCallId = null;
            record(rt, f, call, result.ok() ? "ok" : "error", result.output());
        }
        return Step.NEXT;
    }

    /**
     * The command or path approval rules match: file paths as the workspace resolves them (an
     * absolute path inside it and {@code a/../x} match a rule on {@code x}).
     */
    private static String subject(LoopRuntime rt, Tool tool, Map<String, Object> input) {
        try {
            return tool.subject(input, new Workspace(rt.workspace));
        } catch (IOException | RuntimeException e) {
            return tool.subject(input);
        }
    }

    private static List<String> touched(LoopRuntime rt, Tool tool, Map<String, Object> input) {
        try {
            return tool.touchedPaths(input, new Workspace(rt.workspace));
        } catch (IOException | RuntimeException e) {
            return tool.touchedPaths(input);
        }
    }

    /**
     * The precondition check at an answer: when the files the pending call touches changed since
     * the question, the old approval ends {@code superseded} and the call is asked again with a
     * new id (nothing runs on a stale premise). Returns whether it was superseded. Lock held.
     */
    boolean supersedeIfStale(LoopRuntime rt, LoopState.InFlight f) throws IOException {
        List<String> changed = Preconditions.changed(rt.workspace, f.approvalPreconditions);
        PendingApproval old = rt.state.pendingApproval;
        if (changed.isEmpty() || old == null || f.turn == null) {
            return false;
        }
        ToolCallRequest call = f.turn.toolCalls.stream().filter(c -> c.id().equals(f.approvalCallId))
                .findFirst().orElse(null);
        Tool tool = call == null ? null : ctx.tools.get(call.name());
        if (tool == null) {
            return false;
        }
        Map<String, Object> input = call.input() == null ? Map.of() : call.input();
        String why = "changed since approval " + old.approvalId() + " was asked: " + String.join(", ", changed);
        // the journal line first (a crash right after it leaves the old question pending, and
        // answering it supersedes it again), then the new question replaces the old one in state
        rt.journal("approval_resolved", fields("approvalId", old.approvalId(), "decision", "superseded",
                "note", why));
        rt.commit();
        ApprovalResolvedParams resolved = new ApprovalResolvedParams(rt.loopId(), old.approvalId(), "superseded");
        rt.emit(l -> l.onApprovalResolved(resolved));
        rt.state.stateVersion++;
        requestApproval(rt, f, call, tool, input, "asked again: " + why);
        return true;
    }

    /** After a stopping rejection: the turn's remaining calls are recorded as not run. */
    void skipRest(LoopRuntime rt, int gen, LoopState.InFlight f) throws IOException {
        synchronized (rt) {
            rt.checkGeneration(gen);
            for (int i = f.results.size(); i < f.turn.toolCalls.size(); i++) {
                record(rt, f, f.turn.toolCalls.get(i), "cancelled",
                        "Not run: the loop stopped after a person rejected an earlier call.");
            }
        }
    }

    private String problem(Tool tool, ToolCallRequest call, Map<String, Object> input) {
        if (tool == null) {
            return Json.line(fields("error", "unknown_tool", "tool", call.name(),
                    "message", "there is no tool named '" + call.name() + "'",
                    "availableTools", List.copyOf(ctx.tools.keySet())));
        }
        if (call.rawInput() != null) {
            return Json.line(fields("error", "invalid_arguments", "tool", call.name(),
                    "message", "the arguments are not a JSON object", "received", excerpt(call.rawInput())));
        }
        List<String> problems = tool.validate(input);
        if (!problems.isEmpty()) {
            return Json.line(fields("error", "invalid_arguments", "tool", call.name(), "problems", problems,
                    "schema", tool.spec().inputSchema()));
        }
        return null;
    }

    private static String excerpt(String raw) {
        return raw.length() <= 500 ? raw : raw.substring(0, 500) + "...";
    }

    private void requestApproval(LoopRuntime rt, LoopState.InFlight f, ToolCallRequest call, Tool tool,
            Map<String, Object> input, String why) throws IOException {
        Double ttl = rt.config.approval() == null ? null : rt.config.approval().ttlSeconds();
        String expiresAt = ttl == null ? null
                : Instant.ofEpochMilli(rt.clock.millis() + Math.round(ttl * 1000)).toString();
        String subject = tool.subject(input);
        String title = tool.name() + (subject == null || subject.isEmpty() ? "" : ": " + subject);
        PendingApproval approval = new PendingApproval(LoopIds.approvalId(), f.index, tool.name(),
                ctx.redactor.redact(title), shown(input), why, OPTIONS, expiresAt);
        rt.endSegment();
        rt.state.pendingApproval = approval;
        f.approvalCallId = call.id();
        f.approvalStateVersion = rt.state.stateVersion;
        f.approvalDigest = ApprovalBinding.actionDigest(call.name(), input, f.approvalStateVersion);
        f.approvalPreconditions = Preconditions.fingerprint(rt.workspace, touched(rt, tool, input));
        rt.state.status = LoopStatus.AWAITING_APPROVAL.wire();
        rt.state.reason = "waiting for a person to answer approval " + approval.approvalId();
        rt.persist();
        rt.journal("approval_requested", fields("approval", approval, "callId", call.id()));
        rt.journal("status", fields("status", rt.state.status, "reason", rt.state.reason));
        rt.commit();
        ApprovalRequestedParams params = new ApprovalRequestedParams(rt.loopId(), approval);
        rt.emit(l -> l.onApprovalRequested(params));
        rt.emitStatus();
    }

    private void record(LoopRuntime rt, LoopState.InFlight f, ToolCallRequest call, String status, String output)
            throws IOException {
        output = ctx.redactor.redact(output);
        ToolCall done = new ToolCall(call.id(), call.name(), shown(call.input() == null ? Map.of() : call.input()),
                status, output);
        f.results.add(done);
        rt.state.stateVersion++;
        rt.persist();
        rt.journal("tool_result", fields("iteration", f.index, "id", call.id(), "name", call.name(),
                "status", status, "output", output));
        emitOutput(rt, f.index, OutputKind.TOOL_RESULT, done);
    }

    /** A tool input as people and records see it: string values with secrets redacted. */
    Map<String, Object> shown(Map<String, Object> input) {
        Map<String, Object> out = new LinkedHashMap<>();
        input.forEach((k, v) -> out.put(k, shownValue(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private Object shownValue(Object value) {
        if (value instanceof String s) {
            return ctx.redactor.redact(s);
        }
        if (value instanceof Map<?, ?> m) {
            return shown((Map<String, Object>) m);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(this::shownValue).toList();
        }
        return value;
    }

    private static void emitOutput(LoopRuntime rt, int iteration, OutputKind kind, ToolCall call) {
        LoopOutputParams params = new LoopOutputParams(rt.loopId(), iteration, kind.wire(), null, call);
        rt.emit(l -> l.onOutput(params));
    }

    private ToolContext toolContext(LoopRuntime rt, int iteration, int gen) throws IOException {
        LoopMemory memory = new LoopMemory(rt);
        return new ToolContext(new Workspace(rt.workspace), text -> memory.appendNote(ctx.redactor.redact(text)),
                ctx.options.commandRunner(),
                new StateProcessTracker(rt), ctx.commandEnvironment, rt.cancel, line -> {
                    synchronized (rt) {
                        if (rt.generation != gen) {
                            return;
                        }
                    }
                    LoopOutputParams params = new LoopOutputParams(rt.loopId(), iteration, OutputKind.LOG.wire(),
                            ctx.redactor.redact(line), null);
                    rt.emit(l -> l.onOutput(params));
                });
    }
}
