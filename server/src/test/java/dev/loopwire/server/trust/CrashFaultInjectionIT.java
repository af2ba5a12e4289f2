package dev.loopwire.server.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.ListLoopsParams;
import dev.loopwire.protocol.LoopIdParams;
import dev.loopwire.protocol.LoopIterationParams;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.ResumeParams;
import dev.loopwire.protocol.StartLoopParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety, proven by fault injection: scripted loops (timed turns, {@code write_file},
 * {@code update_memory}, {@code run_command} in approval mode {@code ask} or {@code auto}) run
 * in the real server process, which is killed with SIGKILL at a random moment (after a random
 * delay, or after the Nth notification). In some runs the journal's last line is also cut
 * mid-line, as a crash in the middle of a write leaves it. The server is started again and the
 * test checks that every {@code state.json} parses; that every iteration announced before the
 * kill is in {@code loop/get}, in {@code journal.jsonl} and in {@code memory.md}; that a torn
 * line is cut off, kept in {@code journal.jsonl.torn} and journaled as {@code journal_repaired};
 * that no loop comes back {@code running}; that a pending approval is still pending with the
 * same id and can be answered; and that every loop then finishes {@code succeeded} with each
 * iteration recorded exactly once and no command run twice.
 *
 * <p>Seeded: {@code -Dloopwire.crash.seed=N} replays the choices of a run (timing on a loaded
 * machine still varies), {@code -Dloopwire.crash.runs=N} (default 50) is the number of loops
 * killed, {@code -Dloopwire.crash.loopsPerStart=N} (default 5) how many run per server start.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class CrashFaultInjectionIT {

    private static final int ITERATIONS = 5;

    @TempDir
    Path dir;

    /** What the client saw of one loop before the kill. */
    static final class Tracked {
        final int number;
        final String mode;
        volatile String loopId;
        final Set<Integer> notified = ConcurrentHashMap.newKeySet();
        /** approvalId -> an answer was sent. */
        final Map<String, Boolean> asked = new ConcurrentHashMap<>();
        volatile String lastAsked;
        Integer tornBytes;
        byte[] tornTail;

        Tracked(int number, String mode) {
            this.number = number;
            this.mode = mode;
        }
    }

    /** Loops whose first tool call was cut by a kill, counted once (every round re-checks every loop). */
    private final Set<String> cutCounted = new HashSet<>();

    /** Counts of what the runs ran into, printed at the end. */
    private final Map<String, Integer> stats = new TreeMap<>();

    private void count(String what) {
        stats.merge(what, 1, Integer::sum);
    }

    @Test
    void killedAtRandomMomentsEveryLoopComesBackIntactAndFinishes() throws Exception {
        long seed = Long.getLong("loopwire.crash.seed", new SecureRandom().nextLong());
        int runs = Integer.getInteger("loopwire.crash.runs", 50);
        int perStart = Integer.getInteger("loopwire.crash.loopsPerStart", 5);
        System.out.println("CrashFaultInjectionIT seed=" + seed + " runs=" + runs + " loopsPerStart=" + perStart
                + " (replay: -Dloopwire.crash.seed=" + seed + ")");
        Random rnd = new Random(seed);
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Path logs = dir.resolve("logs");
        ScheduledExecutorService answers = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "crash-answers");
            t.setDaemon(true);
            return t;
        });
        long began = System.nanoTime();
        List<Tracked> previous = List.of();
        int started = 0;
        int round = 0;
        try {
            while (true) {
                round++;
                LiveServer s = LiveServer.start(logs);
                try {
                    s.initialize(ws);
                    CrashChecks.everyStateFileParses(ws);
                    CrashChecks.everyJournalLineParses(ws);
                    for (Tracked t : previous) {
                        verifyAfterRestart(s, ws, t, seed, round);
                    }
                    driveAllToSuccess(s, ws);
                    for (LoopSnapshot loop : LiveServer.await(s.loops().list(new ListLoopsParams(ws.toString()))).loops()) {
                        finalChecks(s, ws, loop.loopId());
                    }
                    if (started >= runs) {
                        LiveServer.await(s.server.shutdown());
                        s.server.exit();
                        assertTrue(s.process.process.waitFor(60, TimeUnit.SECONDS));
                        break;
                    }
                    int n = Math.min(perStart, runs - started);
                    previous = runAndKill(s, ws, rnd, started, n, answers);
                    started += n;
                } catch (Throwable e) {
                    System.out.println("round " + round + " (seed " + seed + ") failed; server stderr:\n"
                            + s.process.stderrText());
                    throw e;
                } finally {
                    s.close();
                }
                for (Tracked t : previous) {
                    if (rnd.nextInt(3) == 0) {
                        tear(ws, t, rnd);
                    }
                }
            }
        } finally {
            answers.shutdownNow();
            System.out.println("CrashFaultInjectionIT seed=" + seed + ": " + started + " loops killed in "
                    + (round) + " server starts, " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began)
                    + " s; " + stats);
        }
        assertEquals(runs, started);
    }

    /** Starts {@code n} loops and kills the server with SIGKILL at a random moment. */
    private List<Tracked> runAndKill(LiveServer s, Path ws, Random rnd, int first, int n,
            ScheduledExecutorService answers) throws Exception {
        Map<String, Tracked> byId = new ConcurrentHashMap<>();
        List<Tracked> loops = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<Void>> starts = new ArrayList<>();
        double answerChance = rnd.nextDouble();
        Random answerRnd = new Random(rnd.nextLong());
        s.onNotification(event -> {
            if (event instanceof LoopIterationParams it) {
                Tracked t = byId.get(it.loopId());
                if (t != null) {
                    t.notified.add(it.record().index());
                }
            } else if (event instanceof ApprovalRequestedParams a) {
                Tracked t = byId.get(a.loopId());
                if (t == null) {
                    return;
                }
                String approvalId = a.approval().approvalId();
                t.asked.putIfAbsent(approvalId, false);
                t.lastAsked = approvalId;
                synchronized (answerRnd) {
                    if (answerRnd.nextDouble() < answerChance) {
                        answers.schedule(() -> {
                            t.asked.put(approvalId, true); // marked before it is sent: an answer may be in flight
                            s.loops().approve(new ApproveParams(a.loopId(), approvalId, "allow_once", null));
                        }, answerRnd.nextInt(200), TimeUnit.MILLISECONDS);
                    }
                }
            }
        });
        for (int k = 0; k < n; k++) {
            int number = first + k + 1;
            Tracked t = new Tracked(number, rnd.nextBoolean() ? "ask" : "auto");
            String script = "turns-" + number + ".json";
            Files.writeString(ws.resolve(script), script(number, rnd));
            loops.add(t);
            StartLoopParams start = new StartLoopParams(ws.toString(), "crash run " + number, null, null, null,
                    new ProviderSpec("scripted", null, Map.of("script", script)), null,
                    new ApprovalConfig(t.mode, null, null, null, null), true, "crash-" + number,
                    null, null, null, null, null, null);
            starts.add(s.loops().start(start).thenAccept(snapshot -> {
                t.loopId = snapshot.loopId();
                byId.put(snapshot.loopId(), t);
            }));
        }
        boolean duringStart = rnd.nextInt(10) == 0;
        if (duringStart) {
            count("kill-while-starting");
            Thread.sleep(rnd.nextInt(300));
        } else {
            // the kill lands while the loops run, not while they are being created
            java.util.concurrent.CompletableFuture.allOf(starts.toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get(120, TimeUnit.SECONDS);
        }
        boolean byCount = !duringStart && rnd.nextBoolean();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(duringStart ? 0
                : byCount ? 8000 : rnd.nextInt(2500));
        // a loop sends some 50 notifications over its five iterations
        int nth = s.notificationCount.get() + 1 + rnd.nextInt(40 * n);
        while (System.nanoTime() < deadline && !(byCount && s.notificationCount.get() >= nth)) {
            Thread.sleep(2);
        }
        s.kill9();
        if (!duringStart) {
            count(byCount ? "kill-after-nth-notification" : "kill-after-delay");
        }
        // Loops whose start response was lost in the kill: their ids come from disk after the restart.
        for (Tracked t : loops) {
            if (t.loopId == null) {
                count("killed-before-start-answered");
            }
        }
        return loops;
    }

    /** Cuts the journal's last line mid-line, as a crash in the middle of a write leaves it. */
    private void tear(Path ws, Tracked t, Random rnd) throws Exception {
        if (t.loopId == null) {
            return;
        }
        Path journal = CrashChecks.loopDir(ws, t.loopId).resolve("journal.jsonl");
        if (!Files.exists(journal)) {
            return;
        }
        byte[] bytes = Files.readAllBytes(journal);
        if (bytes.length < 2 || bytes[bytes.length - 1] != '\n') {
            return;
        }
        int lineStart = bytes.length - 1;
        while (lineStart > 0 && bytes[lineStart - 1] != '\n') {
            lineStart--;
        }
        int lineLength = bytes.length - 1 - lineStart; // without its newline
        if (lineLength < 1) {
            return;
        }
        int keep = 1 + rnd.nextInt(lineLength); // 1..lineLength bytes of the line stay, its newline goes
        byte[] cut = java.util.Arrays.copyOf(bytes, lineStart + keep);
        Files.write(journal, cut);
        t.tornBytes = keep;
        t.tornTail = java.util.Arrays.copyOfRange(bytes, lineStart, lineStart + keep);
        count("torn-line-injected");
    }

    private void verifyAfterRestart(LiveServer s, Path ws, Tracked t, long seed, int round) throws Exception {
        if (t.loopId == null) {
            Tracked named = t;
            for (LoopSnapshot l : LiveServer.await(s.loops().list(new ListLoopsParams(ws.toString()))).loops()) {
                if (l.name().equals("crash-" + named.number)) {
                    t.loopId = l.loopId();
                }
            }
            if (t.loopId == null) {
                count("never-created");
                return;
            }
        }
        String where = "loop " + t.loopId + " (#" + t.number + ", mode " + t.mode + ", seed " + seed + ", round "
                + round + ")";
        GetLoopResult got = LiveServer.await(s.loops().get(new LoopIdParams(t.loopId)));
        String status = got.loop().status();
        count("after-restart-" + status);
        assertFalse(status.equals("running") || status.equals("waiting"), where + " came back " + status);
        Set<Integer> inGet = new HashSet<>();
        for (IterationRecord r : got.iterations()) {
            inGet.add(r.index());
        }
        Path loopDir = CrashChecks.loopDir(ws, t.loopId);
        Set<Integer> inJournal = CrashChecks.journalIterations(loopDir).keySet();
        String memory = Files.readString(loopDir.resolve("memory.md"));
        for (int index : t.notified) {
            assertTrue(inGet.contains(index), where + ": iteration " + index + " was announced before the kill "
                    + "but loop/get has " + inGet);
            assertTrue(inJournal.contains(index), where + ": iteration " + index + " was announced before the "
                    + "kill but journal.jsonl has " + inJournal);
            assertTrue(memory.contains("- #" + index + ":"), where + ": iteration " + index
                    + " has no progress line in memory.md:\n" + memory);
        }
        if (t.tornBytes != null) {
            CrashChecks.assertRepaired(loopDir, t.tornBytes, t.tornTail, where);
            count("torn-line-repaired");
        }
        String open = t.lastAsked;
        if (open != null && Boolean.FALSE.equals(t.asked.get(open))) {
            // asked and never answered: still pending, same id, announced again to the new client
            assertEquals("awaiting_approval", status, where + ": approval " + open + " was pending at the kill");
            assertNotNull(got.loop().pendingApproval(), where);
            assertEquals(open, got.loop().pendingApproval().approvalId(), where + ": a different approval is pending");
            CrashChecks.awaitReannounced(s, t.loopId, open, where);
            count("pending-approval-intact");
        }
    }

    /** Answers, resumes and waits until every loop of the workspace has succeeded. */
    private void driveAllToSuccess(LiveServer s, Path ws) throws Exception {
        Set<String> answered = new HashSet<>();
        Map<String, Integer> resumed = new ConcurrentHashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (true) {
            boolean allDone = true;
            for (LoopSnapshot loop : LiveServer.await(s.loops().list(new ListLoopsParams(ws.toString()))).loops()) {
                String id = loop.loopId();
                switch (loop.status()) {
                    case "succeeded" -> {
                    }
                    case "awaiting_approval" -> {
                        allDone = false;
                        String approvalId = loop.pendingApproval().approvalId();
                        if (answered.add(approvalId)) {
                            LiveServer.await(s.loops().approve(new ApproveParams(id, approvalId, "allow_once", null)));
                            count("answered-after-restart");
                        }
                    }
                    case "interrupted", "created", "paused" -> {
                        allDone = false;
                        int times = resumed.merge(id, 1, Integer::sum);
                        assertTrue(times <= 3, "loop " + id + " keeps coming back " + loop.status() + ": " + loop.reason());
                        LoopSnapshot after = LiveServer.await(s.loops().resume(new ResumeParams(id, null)));
                        count("resumed-" + loop.status());
                        assertNotNull(after);
                    }
                    case "running", "waiting" -> allDone = false;
                    default -> fail("loop " + id + " ended " + loop.status() + ": " + loop.reason());
                }
            }
            if (allDone) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "loops did not finish within 240 s");
            Thread.sleep(100);
        }
    }

    /** A finished loop: each iteration exactly once, its files written, no command run twice. */
    private void finalChecks(LiveServer s, Path ws, String loopId) throws Exception {
        GetLoopResult got = LiveServer.await(s.loops().get(new LoopIdParams(loopId)));
        String where = "loop " + loopId + " (" + got.loop().name() + ")";
        assertEquals("succeeded", got.loop().status(), where);
        List<Integer> indices = got.iterations().stream().map(IterationRecord::index).toList();
        assertEquals(List.of(1, 2, 3, 4, 5), indices, where + ": iterations in loop/get");
        Path loopDir = CrashChecks.loopDir(ws, loopId);
        Map<Integer, Integer> journal = CrashChecks.journalIterations(loopDir);
        assertEquals(Set.of(1, 2, 3, 4, 5), journal.keySet(), where + ": iterations in journal.jsonl");
        journal.forEach((index, times) -> assertEquals(1, times, where + ": iteration " + index + " journaled "
                + times + " times"));
        int number = Integer.parseInt(got.loop().name().substring("crash-".length()));
        // A write that ran to its end left its file; one cut short by the kill is reported, never re-run.
        dev.loopwire.protocol.ToolCall write = got.iterations().get(0).toolCalls().get(0);
        if ("ok".equals(write.status())) {
            assertEquals("file " + number + "-1\n", Files.readString(ws.resolve("f-" + number + "-1.txt")), where);
        } else {
            assertEquals("error", write.status(), where + ": " + write);
            assertTrue(String.valueOf(write.output()).contains("effect is unknown"), where + ": " + write);
            if (cutCounted.add(loopId)) {
                count("tool-call-cut-by-kill");
            }
        }
        Path cmdLog = ws.resolve("cmd-" + number + ".log");
        if (Files.exists(cmdLog)) {
            List<String> lines = Files.readAllLines(cmdLog);
            assertEquals(new HashSet<>(lines).size(), lines.size(), where + ": a command ran twice: " + lines);
        }
        String memory = Files.readString(loopDir.resolve("memory.md"));
        for (int i = 1; i <= ITERATIONS; i++) {
            assertTrue(memory.contains("- #" + i + ":"), where + ": no progress line for #" + i + ":\n" + memory);
        }
    }

    /** Five iterations: files, a command, a memory note, a command after a write, the done token. */
    private static String script(int n, Random rnd) {
        int[] delay = new int[ITERATIONS];
        for (int i = 0; i < ITERATIONS; i++) {
            delay[i] = rnd.nextInt(250);
        }
        return """
                {"turns": [
                  {"text": "writing the first file", "delayMillis": %d,
                   "toolCalls": [{"name": "write_file", "input": {"path": "f-%d-1.txt", "content": "file %d-1\\n"}}]},
                  {"text": "running a command", "delayMillis": %d,
                   "toolCalls": [{"name": "run_command", "input": {"command": "echo %d-2 >> cmd-%d.log; sleep 0.2", "timeoutSeconds": 60}}]},
                  {"text": "noting progress", "delayMillis": %d,
                   "toolCalls": [{"name": "update_memory", "input": {"text": "note %d-3"}}]},
                  {"text": "writing and running", "delayMillis": %d,
                   "toolCalls": [{"name": "write_file", "input": {"path": "f-%d-4.txt", "content": "file %d-4"}},
                                 {"name": "run_command", "input": {"command": "echo %d-4 >> cmd-%d.log", "timeoutSeconds": 60}}]},
                  {"text": "all done\\n<promise>DONE</promise>\\n", "delayMillis": %d}
                ]}
                """.formatted(delay[0], n, n, delay[1], n, n, delay[2], n, delay[3], n, n, n, n, delay[4]);
    }
}
