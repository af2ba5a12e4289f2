package dev.loopwire.engine.internal;

import dev.loopwire.engine.LoopEvents;
import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.StopConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The engine's cost per iteration with its durable storage, in process (not a test; see
 * {@code bench/README.md}): a scripted loop of {@code iterations} text-only iterations (one
 * provider turn, one progress line each; stop policies off), from start to {@code succeeded}. Arguments:
 * {@code iterations runs} (defaults 1000, 3); prints each run's milliseconds per iteration and
 * the number of forced writes.
 */
public final class EngineCostBench {

    private EngineCostBench() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        for (int r = 0; r < runs; r++) {
            Path temp = Files.createTempDirectory("engine-cost-bench");
            try {
                List<ScriptedTestProvider.Turn> turns = new ArrayList<>();
                for (int t = 0; t < iterations; t++) {
                    turns.add(ScriptedTestProvider.text("iteration " + t + " did a small step"
                            + (t == iterations - 1 ? "\n<promise>DONE</promise>" : "")));
                }
                EngineFixture fx = new EngineFixture(temp);
                long[] writes = new long[1];
                try (DefaultLoopEngine engine = fx.engine(new ScriptedTestProvider(turns), (dir, what) -> writes[0]++)) {
                    CountDownLatch done = new CountDownLatch(1);
                    String[] status = new String[1];
                    engine.subscribe(new LoopEvents() {
                        @Override
                        public void onStatus(LoopStatusParams params) {
                            if (!params.status().equals("running") && !params.status().equals("created")) {
                                status[0] = params.status();
                                done.countDown();
                            }
                        }
                    });
                    long t0 = System.nanoTime();
                    var p = fx.params("bench", EngineFixture.iterations(iterations + 1),
                            new ApprovalConfig("auto", null, null, null, null), true);
                    // the stop policies are off: the scripted iterations change no file on purpose
                    engine.start(new StartLoopParams(p.workspace(), p.goal(), p.goalFile(), p.template(), p.args(),
                            p.provider(), p.budget(), p.approval(), p.autoRun(), p.name(), p.check(), p.judge(),
                            new StopConfig(0, 0, null), p.waits(), p.schedule(), p.doneToken()));
                    if (!done.await(10, TimeUnit.MINUTES)) {
                        throw new IllegalStateException("the loop did not finish");
                    }
                    double ms = (System.nanoTime() - t0) / 1e6;
                    System.out.printf("run %d: %s, %.3f ms per iteration, %d observed writes%n", r + 1,
                            status[0], ms / iterations, writes[0]);
                }
            } finally {
                try (Stream<Path> all = Files.walk(temp)) {
                    for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }
}
