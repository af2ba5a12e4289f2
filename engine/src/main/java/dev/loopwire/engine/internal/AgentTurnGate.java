package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.LoopRuntime.fields;

import dev.loopwire.engine.internal.approval.ApprovalBinding;
import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApprovalRule;
import dev.loopwire.protocol.Decision;
import dev.loopwire.protocol.LoopStatus;
import dev.loopwire.protocol.PendingApproval;
import dev.loopwire.protocol.ToolCall;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-iteration gate of CLI agents (providers that run their own tools): before the agent's
 * turn, {@code approval.iterations} decides whether a person is asked ({@code every} iteration,
 * the {@code first} agent turn only, or {@code never}). Mode {@code auto} never asks, mode
 * {@code deny} refuses (the loop ends {@code approval_denied}). The question is a pending approval
 * like a tool call's, for the pseudo tool {@value #TOOL}, bound to the action and the state version.
 * {@code allow_always} remembers "do not ask again for this loop", {@code reject_always} refuses
 * every later turn. A rejected turn ends the iteration as failed without running the agent (the
 * note reaches the next iteration's prompt), or ends the loop when {@code approval.onReject} is
 * {@code stop}.
 */
final class AgentTurnGate {

    /** The tool name of the agent-turn approval (also the remembered rule's tool). */
    static final String TOOL = "agent_turn";

    /** The failure recorded for a rejected turn (one signature, so failure streaks count repeats). */
    static final String REJECTED = "agent turn rejected by a person";

    private static final int PROMPT_SUMMARY_CHARS = 500;

    enum Step { RUN, AWAIT, SKIP }

    private final EngineContext ctx;
    private final ToolCalls toolCalls;

    AgentTurnGate(EngineContext ctx, ToolCalls toolCalls) {
        this.ctx = ctx;
        this.toolCalls = toolCalls;
    }

    /**
     * Decides the turn of the in-flight iteration: RUN (request it), AWAIT (a person is asked) or
     * SKIP (refused or rejected: {@code f.turn} now holds the failed turn, the iteration completes).
     */
    Step check(LoopRuntime rt, int gen, LoopState.InFlight f) throws IOException {
        synchronized (rt) {
            rt.checkGeneration(gen);
            if (f.agentTurnAllowed) {
                return Step.RUN;
            }
            Map<String, Object> action = action(rt, f);
            if (f.decision != null && TOOL.equals(f.approvalCallId)) {
                Decision decision = Decision.fromWire(f.decision).orElseThrow();
                String note = f.decisionNote;
                boolean bound = ApprovalBinding.actionDigest(TOOL, action, f.approvalStateVersion)
                        .equals(f.approvalDigest);
                f.forgetApproval();
                if (bound) {
                    if (decision.always()) {
                        rt.state.rememberedRules.add(0, new ApprovalRule(TOOL, null,
                                decision.allows() ? "allow" : "deny"));
                    }
                    if (!decision.allows()) {
                        String message = "A person rejected running " + rt.config.provider().id() + " for iteration "
                                + f.index + (note == null || note.isBlank() ? "." : ": " + note)
                                + (rt.config.stopOnReject() ? " (approval.onReject is stop)"
                                : " The agent did not run; take the note into account.");
                        skip(rt, f, "rejected", message, rt.config.stopOnReject());
                        return Step.SKIP;
                    }
                    return allow(rt, f);
                }
            }
            String mode = rt.config.approvalMode();
            if ("auto".equals(mode)) {
                return allow(rt, f);
            }
            ApprovalRule remembered = rt.state.rememberedRules.stream()
                    .filter(r -> TOOL.equals(r.tool())).findFirst().orElse(null);
            if (remembered != null && "allow".equals(remembered.decision())) {
                return allow(rt, f);
            }
            if (remembered != null || "deny".equals(mode)) {
                String why = remembered != null ? "a person answered reject_always for the agent's turns"
                        : "approval mode deny refuses to run the CLI agent " + rt.config.provider().id()
                                + " (it runs its own tools)";
                skip(rt, f, "denied", "Refused: " + why + ".", true);
                return Step.SKIP;
            }
            String iterations = iterations(rt);
            boolean ask = switch (iterations) {
                case "every" -> true;
                case "never" -> false;
                default -> rt.state.providerCalls == 0; // no agent turn has run in this loop yet
            };
            if (!ask) {
                return allow(rt, f);
            }
            request(rt, f, action, "approval.iterations is " + iterations + ": "
                    + ("every".equals(iterations) ? "a person approves every turn of the CLI agent"
                    : "a person approves the CLI agent's first turn"));
            return Step.AWAIT;
        }
    }

    static String iterations(LoopRuntime rt) {
        String value = rt.config.approval() == null ? null : rt.config.approval().iterations();
        return value == null ? "first" : value;
    }

    private static Step allow(LoopRuntime rt, LoopState.InFlight f) throws IOException {
        f.agentTurnAllowed = true;
        rt.persist();
        return Step.RUN;
    }

    /** The turn is not run: a failed turn with one pseudo tool call that carries the message. Lock held. */
    private void skip(LoopRuntime rt, LoopState.InFlight f, String status, String message, boolean stop)
            throws IOException {
        message = ctx.redactor.redact(message);
        LoopState.Turn turn = new LoopState.Turn();
        turn.text = "";
        turn.failure = REJECTED;
        turn.agentToolCalls.add(new ToolCall(TOOL + "_" + f.index, TOOL, shownInput(rt), status, message));
        f.turn = turn;
        f.refusal = message;
        f.rejectedStop = stop;
        rt.state.stateVersion++;
        rt.persist();
        rt.journal("agent_turn_refused", fields("iteration", f.index, "status", status, "message", message,
                "stop", stop));
    }

    /** What the approval is bound to: the provider, model, iteration and the pass-through options. */
    private static Map<String, Object> action(LoopRuntime rt, LoopState.InFlight f) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("provider", rt.config.provider().id());
        a.put("model", rt.config.provider().model());
        a.put("iteration", f.index);
        a.put("options", rt.config.provider().options() == null ? Map.of() : rt.config.provider().options());
        return a;
    }

    private Map<String, Object> shownInput(LoopRuntime rt) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("provider", rt.config.provider().id());
        if (rt.config.provider().model() != null) {
            in.put("model", rt.config.provider().model());
        }
        if (rt.config.provider().options() != null && !rt.config.provider().options().isEmpty()) {
            in.put("options", rt.config.provider().options());
        }
        return toolCalls.shown(in);
    }

    private String promptSummary(LoopRuntime rt, LoopState.InFlight f) {
        try {
            String prompt = PromptBuilder.prompt(rt.config, f.index, rt.workspace.relativize(rt.dir.memoryFile())
                    .toString(), rt.dir.readMemory(), rt.state.lastRecord,
                    PromptContext.of(PromptContext.readWorkspace(rt.workspace), rt.state.policy), List.of());
            return prompt.length() <= PROMPT_SUMMARY_CHARS ? prompt : prompt.substring(0, PROMPT_SUMMARY_CHARS) + "…";
        } catch (IOException | RuntimeException e) {
            return "(the prompt could not be built: " + e.getMessage() + ")";
        }
    }

    private void request(LoopRuntime rt, LoopState.InFlight f, Map<String, Object> action, String why)
            throws IOException {
        Double ttl = rt.config.approval() == null ? null : rt.config.approval().ttlSeconds();
        String expiresAt = ttl == null ? null
                : Instant.ofEpochMilli(rt.clock.millis() + Math.round(ttl * 1000)).toString();
        Map<String, Object> input = new LinkedHashMap<>(shownInput(rt));
        input.put("iteration", f.index);
        input.put("prompt", ctx.redactor.redact(promptSummary(rt, f)));
        PendingApproval approval = new PendingApproval(LoopIds.approvalId(), f.index, TOOL,
                ctx.redactor.redact("Run " + rt.config.provider().id() + " for iteration " + f.index), input, why,
                ToolCalls.OPTIONS, expiresAt);
        rt.endSegment();
        rt.state.pendingApproval = approval;
        f.approvalCallId = TOOL;
        f.approvalStateVersion = rt.state.stateVersion;
        f.approvalDigest = ApprovalBinding.actionDigest(TOOL, action, f.approvalStateVersion);
        f.approvalPreconditions = null;
        rt.state.status = LoopStatus.AWAITING_APPROVAL.wire();
        rt.state.reason = "waiting for a person to answer approval " + approval.approvalId();
        rt.persist();
        rt.journal("approval_requested", fields("approval", approval, "callId", TOOL));
        rt.journal("status", fields("status", rt.state.status, "reason", rt.state.reason));
        rt.commit();
        ApprovalRequestedParams params = new ApprovalRequestedParams(rt.loopId(), approval);
        rt.emit(l -> l.onApprovalRequested(params));
        rt.emitStatus();
    }
}
