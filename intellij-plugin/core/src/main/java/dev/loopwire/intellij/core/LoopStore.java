package dev.loopwire.intellij.core;

import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApprovalResolvedParams;
import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.ListLoopsParams;
import dev.loopwire.protocol.LoopIdParams;
import dev.loopwire.protocol.LoopIterationParams;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopProgressParams;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.LoopStatus;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.MemoryChangedParams;
import dev.loopwire.protocol.PendingApproval;
import dev.loopwire.protocol.services.LoopwireClient;
import dev.loopwire.protocol.services.LoopwireServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The client's picture of the loops of one workspace. It is kept current from the server's
 * notifications (it is the {@link LoopwireClient} of the connection) and rebuilt from
 * {@code loop/list} + {@code loop/get} after every (re)connection. A notification about a loop
 * it does not know yet (started by another client, or before the {@code loop/start} answer
 * arrived) makes it fetch that loop with {@code loop/get}. Thread-safe; listeners are told
 * after each change, outside the lock.
 */
public final class LoopStore implements LoopwireClient {

    /** Output entries kept per loop; older ones are dropped (the journal has them all). */
    public static final int MAX_OUTPUT_ENTRIES = 5000;

    private final String workspace;
    private final Map<String, Entry> loops = new LinkedHashMap<>();
    private final List<LoopStoreListener> listeners = new CopyOnWriteArrayList<>();
    private volatile LoopwireServer server;

    /** @param workspace the workspace folder whose loops to show, or {@code null} for all */
    public LoopStore(String workspace) {
        this.workspace = workspace;
    }

    /** The workspace folder this store shows, or {@code null}. */
    public String workspace() {
        return workspace;
    }

    /** Adds a listener. */
    public void addListener(LoopStoreListener listener) {
        listeners.add(listener);
    }

    /** Removes a listener. */
    public void removeListener(LoopStoreListener listener) {
        listeners.remove(listener);
    }

    /** The loops, oldest first, without their output. */
    public synchronized List<LoopSnapshot> snapshots() {
        List<LoopSnapshot> out = new ArrayList<>();
        for (Entry e : loops.values()) {
            if (e.complete) {
                out.add(e.snapshot);
            }
        }
        return out;
    }

    /** One loop with its output and iterations, or {@code null} when unknown. */
    public synchronized LoopView view(String loopId) {
        Entry e = loops.get(loopId);
        return e == null || !e.complete ? null : e.toView();
    }

    /** How many loops run (running or waiting) and how many wait for an approval. */
    public synchronized int[] counts() {
        int running = 0;
        int awaiting = 0;
        for (Entry e : loops.values()) {
            LoopStatus s = LoopStatus.fromWire(e.snapshot.status()).orElse(null);
            if (!e.complete || s == null) {
                continue;
            }
            if (s == LoopStatus.AWAITING_APPROVAL) {
                awaiting++;
            } else if (s.isActive()) {
                running++;
            }
        }
        return new int[] {running, awaiting};
    }

    // ------------------------------------------------------------------ rebuilding

    /**
     * Uses {@code server} from now on and rebuilds every loop from {@code loop/list} and
     * {@code loop/get}. Output streamed earlier is kept for loops that still exist. Pending
     * approvals found are announced to listeners.
     */
    public CompletableFuture<Void> rebuild(LoopwireServer server) {
        this.server = server;
        return server.getLoopService().list(new ListLoopsParams(workspace)).thenCompose(list -> {
            List<CompletableFuture<GetLoopResult>> gets = new ArrayList<>();
            for (LoopSnapshot s : list.loops()) {
                gets.add(server.getLoopService().get(new LoopIdParams(s.loopId())));
            }
            return CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<GetLoopResult> results = new ArrayList<>();
                for (CompletableFuture<GetLoopResult> g : gets) {
                    results.add(g.join());
                }
                return results;
            });
        }).thenAccept(this::replaceAll);
    }

    /** Uses {@code server} for fetching loops it hears of, without rebuilding. */
    public void attach(LoopwireServer server) {
        this.server = server;
    }

    private void replaceAll(List<GetLoopResult> results) {
        List<PendingApproval[]> announce = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        synchronized (this) {
            Map<String, Entry> old = new LinkedHashMap<>(loops);
            loops.clear();
            for (GetLoopResult r : results) {
                if (!inWorkspace(r.loop())) {
                    continue;
                }
                Entry e = old.getOrDefault(r.loop().loopId(), new Entry());
                e.snapshot = r.loop();
                e.iterations = new ArrayList<>(r.iterations() == null ? List.of() : r.iterations());
                e.complete = true;
                e.version++;
                loops.put(r.loop().loopId(), e);
                e.announced = r.loop().pendingApproval() == null ? null : r.loop().pendingApproval().approvalId();
                if (r.loop().pendingApproval() != null) {
                    announce.add(new PendingApproval[] {r.loop().pendingApproval()});
                    ids.add(r.loop().loopId());
                }
            }
        }
        fire(l -> l.loopChanged(null));
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            PendingApproval a = announce.get(i)[0];
            fire(l -> l.approvalRequested(id, a));
        }
    }

    /**
     * Adds a loop this client just started, unless notifications already brought it. Returns
     * the snapshot for chaining.
     */
    public LoopSnapshot added(LoopSnapshot snapshot) {
        boolean changed = false;
        synchronized (this) {
            Entry e = loops.get(snapshot.loopId());
            if (e == null && inWorkspace(snapshot)) {
                e = new Entry();
                e.snapshot = snapshot;
                e.complete = true;
                loops.put(snapshot.loopId(), e);
                changed = true;
            }
        }
        if (changed) {
            fire(l -> l.loopChanged(snapshot.loopId()));
        }
        return snapshot;
    }

    /** Fetches one loop again with {@code loop/get} (after it finished, or when first heard of). */
    public CompletableFuture<Void> refresh(String loopId) {
        LoopwireServer s = server;
        if (s == null) {
            return CompletableFuture.completedFuture(null);
        }
        long statusSeq;
        synchronized (this) {
            Entry e = loops.get(loopId);
            statusSeq = e == null ? 0 : e.statusSeq;
        }
        return s.getLoopService().get(new LoopIdParams(loopId)).thenAccept(r -> applyFetched(r, statusSeq));
    }

    private void applyFetched(GetLoopResult r, long statusSeqAtRequest) {
        String id = r.loop().loopId();
        PendingApproval announce = null;
        synchronized (this) {
            Entry e = loops.get(id);
            if (!inWorkspace(r.loop())) {
                loops.remove(id);
            } else {
                if (e == null) {
                    e = new Entry();
                    loops.put(id, e);
                }
                LoopSnapshot fresh = r.loop();
                if (e.snapshot != null && e.statusSeq != statusSeqAtRequest) {
                    // status or approval news arrived after we asked: newer than this answer
                    LoopSnapshot cur = e.snapshot;
                    fresh = copy(fresh, cur.status(), cur.reason(), cur.resumable(), cur.recommendedAction(),
                            cur.pendingApproval(), Math.max(cur.iteration(), fresh.iteration()), fresh.usage());
                }
                e.snapshot = fresh;
                if (r.iterations() != null) {
                    e.iterations = new ArrayList<>(r.iterations());
                }
                e.complete = true;
                e.version++;
                announce = e.toAnnounce();
            }
        }
        fire(l -> l.loopChanged(id));
        if (announce != null) {
            PendingApproval a = announce;
            fire(l -> l.approvalRequested(id, a));
        }
    }

    // ------------------------------------------------------------------ notifications

    @Override
    public void status(LoopStatusParams p) {
        boolean terminal = LoopStatus.fromWire(p.status()).map(LoopStatus::isTerminal).orElse(false);
        String resolved = update(p.loopId(), e -> {
            LoopSnapshot s = e.snapshot;
            PendingApproval pending = s.pendingApproval();
            LoopStatus st = LoopStatus.fromWire(p.status()).orElse(null);
            String dropped = null;
            if (pending != null && st != null && st != LoopStatus.AWAITING_APPROVAL
                    && (st.isTerminal() || st == LoopStatus.RUNNING)) {
                dropped = pending.approvalId();
                pending = null;
            }
            e.snapshot = copy(s, p.status(), p.reason(), p.resumable(), p.recommendedAction(), pending,
                    s.iteration(), s.usage());
            e.statusSeq++;
            if (st != null && !st.isActive()) {
                e.phase = "";
            }
            return dropped;
        });
        if (resolved != null) {
            fire(l -> l.approvalResolved(p.loopId(), resolved));
        }
        if (terminal) {
            refresh(p.loopId());
        }
    }

    @Override
    public void progress(LoopProgressParams p) {
        update(p.loopId(), e -> {
            LoopSnapshot s = e.snapshot;
            e.snapshot = copy(s, s.status(), s.reason(), s.resumable(), s.recommendedAction(), s.pendingApproval(),
                    Math.max(s.iteration(), p.iteration()), p.usage() == null ? s.usage() : p.usage());
            e.phase = p.phase() == null ? "" : p.phase();
            e.message = p.message() == null ? "" : p.message();
            return null;
        });
    }

    @Override
    public void output(LoopOutputParams p) {
        update(p.loopId(), e -> {
            String text = p.text() == null ? "" : p.text();
            boolean joinable = "text".equals(p.kind()) || "thought".equals(p.kind());
            if (joinable && !e.output.isEmpty()) {
                OutputEntry last = e.output.get(e.output.size() - 1);
                if (last.kind().equals(p.kind()) && last.iteration() == p.iteration()) {
                    e.output.set(e.output.size() - 1, new OutputEntry(last.iteration(), last.kind(), last.text() + text, null));
                    return null;
                }
            }
            e.output.add(new OutputEntry(p.iteration(), p.kind(), text, p.toolCall()));
            if (e.output.size() > MAX_OUTPUT_ENTRIES) {
                e.output.subList(0, e.output.size() - MAX_OUTPUT_ENTRIES).clear();
            }
            return null;
        });
    }

    @Override
    public void iteration(LoopIterationParams p) {
        update(p.loopId(), e -> {
            IterationRecord r = p.record();
            e.iterations.removeIf(old -> old.index() == r.index());
            e.iterations.add(r);
            e.iterations.sort((a, b) -> Integer.compare(a.index(), b.index()));
            LoopSnapshot s = e.snapshot;
            e.snapshot = copy(s, s.status(), s.reason(), s.resumable(), s.recommendedAction(), s.pendingApproval(),
                    Math.max(s.iteration(), r.index()), s.usage());
            return null;
        });
    }

    @Override
    public void approvalRequested(ApprovalRequestedParams p) {
        update(p.loopId(), e -> {
            LoopSnapshot s = e.snapshot;
            e.snapshot = copy(s, LoopStatus.AWAITING_APPROVAL.wire(), s.reason(), s.resumable(), s.recommendedAction(),
                    p.approval(), s.iteration(), s.usage());
            e.statusSeq++;
            e.phase = "";
            e.message = "";
            return null;
        });
    }

    @Override
    public void approvalResolved(ApprovalResolvedParams p) {
        update(p.loopId(), e -> {
            LoopSnapshot s = e.snapshot;
            if (s.pendingApproval() != null && Objects.equals(s.pendingApproval().approvalId(), p.approvalId())) {
                e.snapshot = copy(s, s.status(), s.reason(), s.resumable(), s.recommendedAction(), null,
                        s.iteration(), s.usage());
                e.statusSeq++;
            }
            return null;
        });
        fire(l -> l.approvalResolved(p.loopId(), p.approvalId()));
    }

    @Override
    public void memoryChanged(MemoryChangedParams p) {
        if (isShown(p.loopId())) {
            fire(l -> l.memoryChanged(p.loopId(), p.path()));
        }
    }

    // ------------------------------------------------------------------ internals

    private interface Change {
        String apply(Entry e);
    }

    /**
     * Applies a change to a loop. A loop not yet known gets a placeholder (hidden until
     * {@code loop/get} fills it) and is fetched; the change is applied to the placeholder so
     * nothing streamed before the answer is lost.
     */
    private String update(String loopId, Change change) {
        String result;
        boolean fetch = false;
        boolean shown;
        PendingApproval announce;
        synchronized (this) {
            Entry e = loops.get(loopId);
            if (e == null) {
                e = new Entry();
                e.snapshot = new LoopSnapshot(loopId, loopId, null, LoopStatus.CREATED.wire(), 0, null, null, null,
                        null, null, null, false, null, null, null);
                loops.put(loopId, e);
                fetch = true;
            }
            result = change.apply(e);
            e.version++;
            shown = e.complete;
            announce = shown ? e.toAnnounce() : null;
        }
        if (fetch) {
            refresh(loopId);
        }
        if (shown) {
            fire(l -> l.loopChanged(loopId));
        }
        if (announce != null) {
            PendingApproval a = announce;
            fire(l -> l.approvalRequested(loopId, a));
        }
        return result;
    }

    private synchronized boolean isShown(String loopId) {
        Entry e = loops.get(loopId);
        return e != null && e.complete;
    }

    private boolean inWorkspace(LoopSnapshot s) {
        if (workspace == null || s.workspace() == null) {
            return true;
        }
        try {
            return Path.of(workspace).toAbsolutePath().normalize().equals(Path.of(s.workspace()).toAbsolutePath().normalize());
        } catch (RuntimeException e) {
            return workspace.equals(s.workspace());
        }
    }

    private void fire(Consumer<LoopStoreListener> event) {
        for (LoopStoreListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                // one broken view must not stop the others
            }
        }
    }

    private static LoopSnapshot copy(LoopSnapshot s, String status, String reason, boolean resumable,
            String recommendedAction, PendingApproval pending, int iteration, dev.loopwire.protocol.Usage usage) {
        return new LoopSnapshot(s.loopId(), s.name(), s.workspace(), status, iteration, usage, s.budget(), s.provider(),
                s.memoryPath(), pending, reason, resumable, recommendedAction, s.createdAt(), s.updatedAt());
    }

    private static final class Entry {
        LoopSnapshot snapshot;
        String phase = "";
        String message = "";
        final List<OutputEntry> output = new ArrayList<>();
        List<IterationRecord> iterations = new ArrayList<>();
        boolean complete;
        long version;
        long statusSeq;
        String announced;

        /** The pending approval not yet announced to listeners, marking it announced. */
        PendingApproval toAnnounce() {
            PendingApproval p = snapshot.pendingApproval();
            if (p == null || p.approvalId().equals(announced)) {
                return null;
            }
            announced = p.approvalId();
            return p;
        }

        LoopView toView() {
            return new LoopView(snapshot, phase, message, List.copyOf(output), List.copyOf(iterations), version);
        }
    }
}
