package dev.loopwire.server.internal;

import dev.loopwire.engine.LoopEngine;
import dev.loopwire.engine.LoopEvents;
import dev.loopwire.engine.LoopException;
import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.ErrorCode;
import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.MemoryResult;
import dev.loopwire.protocol.ProviderInfo;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.TemplateInfo;
import dev.loopwire.protocol.Usage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A test double of {@link LoopEngine} for the transport tests: it keeps snapshots in memory,
 * hands out {@code loop/step} futures the test completes or watches, and lets the test emit events.
 * The loop behaviour itself is tested against the real engine elsewhere.
 */
final class TestLoopEngine implements LoopEngine {

    final Map<String, LoopSnapshot> loops = new ConcurrentHashMap<>();
    final List<Path> opened = new CopyOnWriteArrayList<>();
    final List<LoopEvents> listeners = new CopyOnWriteArrayList<>();
    final LinkedBlockingQueue<CompletableFuture<IterationRecord>> steps = new LinkedBlockingQueue<>();
    volatile boolean checkpointed;

    static LoopSnapshot snapshot(String id, String name, String status) {
        return new LoopSnapshot(id, name, "/tmp/ws", status, 0, new Usage(0, 0, 0, null, 0), null, null,
                "/tmp/ws/.loopwire/loops/" + id + "/memory.md", null, null, false, null,
                "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
    }

    private LoopSnapshot find(String id) throws LoopException {
        LoopSnapshot s = loops.get(id);
        if (s == null) {
            throw new LoopException(ErrorCode.UNKNOWN_LOOP, "no loop '" + id + "'");
        }
        return s;
    }

    @Override
    public void openWorkspace(Path workspace) {
        opened.add(workspace);
    }

    @Override
    public LoopSnapshot start(StartLoopParams params) throws LoopException {
        if (params.goal() == null) {
            throw new LoopException(ErrorCode.INVALID_LOOP_CONFIG, "a loop needs a goal");
        }
        String id = "loop-" + (loops.size() + 1);
        LoopSnapshot s = snapshot(id, params.name(), "created");
        loops.put(id, s);
        return s;
    }

    @Override
    public CompletableFuture<IterationRecord> step(String loopId) throws LoopException {
        find(loopId);
        CompletableFuture<IterationRecord> f = new CompletableFuture<>();
        steps.add(f);
        return f;
    }

    @Override
    public LoopSnapshot approve(ApproveParams params) throws LoopException {
        find(params.loopId());
        throw new LoopException(ErrorCode.STALE_APPROVAL, "no pending approval '" + params.approvalId() + "'");
    }

    @Override
    public LoopSnapshot cancel(String loopId) throws LoopException {
        return find(loopId);
    }

    @Override
    public LoopSnapshot pause(String loopId) throws LoopException {
        return find(loopId);
    }

    @Override
    public LoopSnapshot resume(String loopId, Budget budget) throws LoopException {
        return find(loopId);
    }

    @Override
    public List<LoopSnapshot> list(Path workspace) {
        return new ArrayList<>(loops.values());
    }

    @Override
    public GetLoopResult get(String loopId) throws LoopException {
        return new GetLoopResult(find(loopId), List.of());
    }

    @Override
    public MemoryResult memory(String loopId) throws LoopException {
        return new MemoryResult(find(loopId).memoryPath(), "# memory\n");
    }

    @Override
    public List<ApprovalRequestedParams> pendingApprovals() {
        return List.of();
    }

    @Override
    public List<ProviderInfo> providers() {
        return List.of(new ProviderInfo("scripted", true, "turns from a file", List.of()));
    }

    @Override
    public List<TemplateInfo> templates(Path workspace) {
        return List.of();
    }

    @Override
    public AutoCloseable subscribe(LoopEvents listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void checkpoint() {
        checkpointed = true;
    }

    @Override
    public void close() {
        checkpoint();
    }
}
