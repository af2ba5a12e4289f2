package dev.loopwire.engine.internal;

import dev.loopwire.engine.spi.ChatMessage;
import dev.loopwire.engine.spi.ToolCallRequest;
import dev.loopwire.protocol.ApprovalRule;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.PendingApproval;
import dev.loopwire.protocol.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * A loop's {@code state.json}: everything that changes while it runs. Replaced atomically on
 * every change; guarded by the loop's lock in memory. Plain fields for Jackson.
 */
public final class LoopState {

    public int format = 1;
    public String status;
    public String reason;
    /** Completed iterations. */
    public int iteration;
    /** Completed provider calls (the next call's {@code callIndex}). */
    public int providerCalls;
    public long inputTokens;
    public long outputTokens;
    /** Null while no price is known. */
    public Double costUsd;
    /** Active running time, summed over runs. */
    public double elapsedSeconds;
    public InFlight inFlight;
    public PendingApproval pendingApproval;
    /** Rules remembered from {@code allow_always} / {@code reject_always}, newest first. */
    public List<ApprovalRule> rememberedRules = new ArrayList<>();
    public List<TrackedProcess> processes = new ArrayList<>();
    /** API providers' conversation, one entry per completed iteration, oldest first. */
    public List<List<ChatMessage>> history = new ArrayList<>();
    /** The last completed iteration, so that a crash before its journal line cannot lose it. */
    public IterationRecord lastRecord;
    /** SHA-256 of the memory file as the engine last saw it (to notice a person's edits). */
    public String memorySha;
    public String updatedAt;
    /**
     * The loop's state version: moves on whenever the loop moves on (a tool result, a completed
     * iteration, an approval answered, withdrawn or expired). An approval is bound to the version
     * it was asked at and can only be answered while the version has not moved.
     */
    public long stateVersion;
    /** Streak counters and gate results of the iteration policies (stop package). */
    public dev.loopwire.engine.internal.stop.PolicyState policy = new dev.loopwire.engine.internal.stop.PolicyState();
    /** The run history and next run of a scheduled loop; null without a schedule. */
    public dev.loopwire.engine.internal.schedule.ScheduleState schedule;

    /** The iteration that is under way: enough to continue it after a crash. */
    public static final class InFlight {
        public int index;
        public String startedAt;
        public int callIndex;
        /** The provider's turn once received (never requested twice). */
        public Turn turn;
        /** Results of the turn's tool calls so far, in order. */
        public List<ToolCall> results = new ArrayList<>();
        /** The call executing now; after a crash its effect is unknown and it is not re-run. */
        public String runningCallId;
        /** The call a pending approval is for, and the digest of its tool + input. */
        public String approvalCallId;
        public String approvalDigest;
        /** The state version the pending approval was asked at (null in files of older engines). */
        public Long approvalStateVersion;
        /** What the files the pending call touches looked like when it was asked (path to size:mtime:sha256 or absent). */
        public java.util.Map<String, String> approvalPreconditions;
        /** A person's answer not applied yet (the approval was answered, the call not yet run). */
        public String decision;
        public String decisionNote;
        /** Where an {@code allow_always} / {@code reject_always} answer is saved: loop (null) or workspace. */
        public String decisionScope;

        /** Forgets the pending approval and its answer (once the answer was taken). */
        void forgetApproval() {
            decision = null;
            decisionNote = null;
            decisionScope = null;
            approvalCallId = null;
            approvalDigest = null;
            approvalStateVersion = null;
            approvalPreconditions = null;
        }
        /** Seconds this iteration has run, summed over runs. */
        public double activeSeconds;
        /** The prompt sent with the turn (replayed as history to API providers). */
        public String prompt;
        /** A person rejected a call and {@code approval.onReject} is {@code stop}. */
        public boolean rejectedStop;
        /** Failed attempts of this iteration (invalid tool calls and their errors) sent back to the provider. */
        public List<ChatMessage> repair;
        /** Times the provider was asked again because of invalid tool calls. */
        public int planRetries;
        /** The tool calls stayed invalid after every retry. */
        public boolean invalidPlan;
        /** A CLI agent's turn of this iteration passed the approval gate (it is not asked again). */
        public boolean agentTurnAllowed;
        /** Why a CLI agent's turn was not run (rejected or refused); null when it ran. */
        public String refusal;
        /** Artifact changes, check and judge results measured after the tool calls. */
        public dev.loopwire.engine.internal.stop.Verification verification;
    }

    /** A provider turn as persisted. */
    public static final class Turn {
        public String text;
        public List<ToolCallRequest> toolCalls = new ArrayList<>();
        public long inputTokens;
        public long outputTokens;
        public Double costUsd;
        public String stopReason;
        /** Tool calls and results a CLI agent reported while it ran its own tools. */
        public List<ToolCall> agentToolCalls = new ArrayList<>();
        /** Set when the provider call failed with an error that may pass (transient, protocol). */
        public String failure;
    }

    /** A process a tool or agent started. */
    public static final class TrackedProcess {
        public long pid;
        public long startEpochMillis;
        public String command;

        public TrackedProcess() {
        }

        public TrackedProcess(long pid, long startEpochMillis, String command) {
            this.pid = pid;
            this.startEpochMillis = startEpochMillis;
            this.command = command;
        }
    }
}
