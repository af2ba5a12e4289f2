package dev.loopwire.intellij.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApprovalResolvedParams;
import dev.loopwire.protocol.LoopIdParams;
import dev.loopwire.protocol.LoopIterationParams;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopProgressParams;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.PendingApproval;
import dev.loopwire.protocol.ToolCall;
import dev.loopwire.protocol.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class LoopStoreTest {

    private static final String WS = "/tmp/ws-a";

    private final RecordingLoopwireServer server = new RecordingLoopwireServer();
    private final LoopStore store = new LoopStore(WS);
    private final List<String> events = new ArrayList<>();

    LoopStoreTest() {
        store.addListener(new LoopStoreListener() {
            @Override
            public void approvalRequested(String loopId, PendingApproval approval) {
                events.add("requested " + loopId + " " + approval.approvalId());
            }

            @Override
            public void approvalResolved(String loopId, String approvalId) {
                events.add("resolved " + loopId + " " + approvalId);
            }
        });
    }

    @Test
    void notificationAboutUnknownLoopFetchesItAndKeepsWhatArrived() throws Exception {
        server.put(Fixtures.loop("L1", WS, "running", null), List.of(Fixtures.iteration(1)));
        store.attach(server);

        store.output(new LoopOutputParams("L1", 2, "text", "Hello", null));

        assertEquals("loop/get", server.next().method());
        LoopView v = store.view("L1");
        assertEquals("running", v.snapshot().status());
        assertEquals(1, v.iterations().size());
        assertEquals("Hello", v.output().get(0).text());
    }

    @Test
    void textDeltasJoinAndToolCallsStaySeparate() {
        server.put(Fixtures.loop("L1", WS, "running", null), List.of());
        store.attach(server);
        store.output(new LoopOutputParams("L1", 2, "text", "Hel", null));
        store.output(new LoopOutputParams("L1", 2, "text", "lo", null));
        ToolCall call = new ToolCall("c1", "write_file", Map.of("path", "a.txt"), "pending", null);
        store.output(new LoopOutputParams("L1", 2, "tool_call", null, call));
        store.output(new LoopOutputParams("L1", 2, "text", "done", null));
        store.output(new LoopOutputParams("L1", 3, "text", "next", null));

        List<OutputEntry> out = store.view("L1").output();
        assertEquals(List.of("text:Hello", "tool_call:", "text:done", "text:next"),
                out.stream().map(e -> e.kind() + ":" + e.text()).toList());
        assertEquals("write_file", out.get(1).toolCall().name());
    }

    @Test
    void progressAndIterationUpdateTheSnapshot() {
        server.put(Fixtures.loop("L1", WS, "running", null), List.of());
        store.attach(server);
        store.status(new LoopStatusParams("L1", "running", null, false, null)); // first news: fetched
        store.progress(new LoopProgressParams("L1", 3, "provider", "turn 3", new Usage(3, 5000, 900, 0.05, 40)));
        store.iteration(new LoopIterationParams("L1", Fixtures.iteration(3)));

        LoopView v = store.view("L1");
        assertEquals(3, v.snapshot().iteration());
        assertEquals(5000, v.snapshot().usage().inputTokens());
        assertEquals("provider", v.phase());
        assertEquals(3, v.iterations().get(0).index());
    }

    @Test
    void approvalRequestedAndResolvedChangeTheSnapshotAndTellListeners() {
        server.put(Fixtures.loop("L1", WS, "running", null), List.of());
        store.attach(server);
        store.status(new LoopStatusParams("L1", "running", null, false, null));

        store.approvalRequested(new ApprovalRequestedParams("L1", Fixtures.approval("A1")));
        assertEquals("awaiting_approval", store.view("L1").snapshot().status());
        assertEquals("A1", store.view("L1").snapshot().pendingApproval().approvalId());
        assertEquals(0, store.counts()[0]);
        assertEquals(1, store.counts()[1]);

        store.approvalResolved(new ApprovalResolvedParams("L1", "A1", "allow_once"));
        store.status(new LoopStatusParams("L1", "running", null, false, null));
        assertNull(store.view("L1").snapshot().pendingApproval());
        assertEquals(1, store.counts()[0]);
        assertEquals(List.of("requested L1 A1", "resolved L1 A1"), events);
    }

    @Test
    void terminalStatusFetchesTheFinalSnapshotButKeepsTheStatus() throws Exception {
        server.put(Fixtures.loop("L1", WS, "running", null), List.of());
        store.attach(server);
        store.status(new LoopStatusParams("L1", "running", null, false, null));
        server.put(Fixtures.loop("L1", WS, "succeeded", null), List.of(Fixtures.iteration(1), Fixtures.iteration(2)));

        store.status(new LoopStatusParams("L1", "succeeded", "done token", false, null));

        LoopView v = store.view("L1");
        assertEquals("succeeded", v.snapshot().status());
        assertEquals(2, v.iterations().size());
    }

    @Test
    void rebuildReplacesLoopsKeepsOutputAndAnnouncesPendingApprovals() throws Exception {
        server.put(Fixtures.loop("L1", WS, "running", null), List.of());
        store.attach(server);
        store.output(new LoopOutputParams("L1", 1, "text", "before the crash", null));
        store.output(new LoopOutputParams("GONE", 1, "text", "x", null)); // unknown to the server

        RecordingLoopwireServer restarted = new RecordingLoopwireServer()
                .put(Fixtures.loop("L1", WS, "awaiting_approval", Fixtures.approval("A9")), List.of(Fixtures.iteration(1)));
        store.rebuild(restarted).get(5, TimeUnit.SECONDS);

        assertEquals("loop/list", restarted.next().method());
        assertEquals(new LoopIdParams("L1"), restarted.next("loop/get").params());
        assertEquals(List.of("L1"), store.snapshots().stream().map(s -> s.loopId()).toList());
        LoopView v = store.view("L1");
        assertEquals("awaiting_approval", v.snapshot().status());
        assertEquals("before the crash", v.output().get(0).text());
        assertTrue(events.contains("requested L1 A9"));
        assertNull(store.view("GONE"));
    }

    @Test
    void loopsOfOtherWorkspacesAreNotShown() {
        server.put(Fixtures.loop("L2", "/tmp/ws-b", "running", null), List.of());
        store.attach(server);
        store.status(new LoopStatusParams("L2", "running", null, false, null));
        assertNull(store.view("L2"));
        assertTrue(store.snapshots().isEmpty());
    }
}
