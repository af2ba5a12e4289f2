package dev.loopwire.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.internal.stop.StopContext;
import dev.loopwire.engine.internal.stop.StopPolicies;
import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.LoopStatus;
import org.junit.jupiter.api.Test;

class StopPolicyTest {

    private static final String TOKEN = "<promise>DONE</promise>";
    private final StopPolicies policies = StopPolicies.defaults();

    private static StopContext ctx(Budget budget, int iterations, long tokens, Double cost, double seconds, String text) {
        return new StopContext(budget, iterations, tokens, cost, seconds, text, TOKEN);
    }

    @Test
    void doneTokenMustBeALineOfItsOwn() {
        assertTrue(policies.check(ctx(null, 1, 0, null, 0, "I will write <promise>DONE</promise> later")).isEmpty());
        var done = policies.check(ctx(null, 1, 0, null, 0, "finished\n  <promise>DONE</promise>  \n")).orElseThrow();
        assertEquals(LoopStatus.SUCCEEDED, done.status());
        assertTrue(done.reason().contains(TOKEN));
    }

    @Test
    void doneBeatsAUsedBudget() {
        var d = policies.check(ctx(new Budget(1, null, null, null), 1, 0, null, 0, TOKEN)).orElseThrow();
        assertEquals(LoopStatus.SUCCEEDED, d.status());
    }

    @Test
    void eachBudgetStopsWithItsOwnReason() {
        assertEquals("iteration budget used: 3 of 3 iterations",
                policies.check(ctx(new Budget(3, null, null, null), 3, 0, null, 0, "x")).orElseThrow().reason());
        assertTrue(policies.check(ctx(new Budget(4, null, null, null), 3, 0, null, 0, "x")).isEmpty());
        assertEquals("token budget used: 1200 of 1000 tokens",
                policies.check(ctx(new Budget(null, 1000L, null, null), 1, 1200, null, 0, "x")).orElseThrow().reason());
        assertEquals("time budget used: ran 61.0 s of 60.0 s",
                policies.check(ctx(new Budget(null, null, 60.0, null), 1, 0, null, 61, "x")).orElseThrow().reason());
        assertEquals("cost budget used: $0.5000 of $0.5000",
                policies.check(ctx(new Budget(null, null, null, 0.5), 1, 0, 0.5, 0, "x")).orElseThrow().reason());
        assertTrue(policies.check(ctx(new Budget(null, null, null, 0.5), 1, 0, null, 0, "x")).isEmpty(),
                "an unknown cost never exhausts a cost budget");
        assertTrue(policies.check(ctx(null, 1000, 1_000_000, 100.0, 1e6, "x")).isEmpty());
    }
}
