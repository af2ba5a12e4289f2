package dev.loopwire.engine.internal.stop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.protocol.FailureStreak;
import dev.loopwire.protocol.LoopStatus;
import dev.loopwire.protocol.StopConfig;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IterationPoliciesTest {

    private static IterationFacts ok(int i, String summary, boolean changed) {
        return new IterationFacts(i, summary, changed, false, null, false);
    }

    private static IterationFacts failed(int i, String signature) {
        return new IterationFacts(i, "x", false, false, signature, false);
    }

    @Test
    void defaultsAreThreeNoProgressThreeRepeatsThreeIdenticalFourAny() {
        IterationPolicies p = IterationPolicies.of(null);
        PolicyState s = new PolicyState();
        assertTrue(p.observe(ok(1, "a", false), s).isEmpty());
        assertTrue(p.observe(ok(2, "b", false), s).isEmpty());
        Optional<StopDecision> d = p.observe(ok(3, "c", false), s);
        assertEquals(LoopStatus.NO_PROGRESS, d.orElseThrow().status());
        assertTrue(d.get().reason().startsWith("no progress: 3 iterations"), d.get().reason());

        PolicyState s2 = new PolicyState();
        p.observe(failed(1, "boom"), s2);
        p.observe(failed(2, "boom"), s2);
        assertTrue(p.observe(failed(3, "boom"), s2).orElseThrow().reason().startsWith("3 identical failures"));

        PolicyState s3 = new PolicyState();
        p.observe(failed(1, "a"), s3);
        p.observe(failed(2, "b"), s3);
        p.observe(failed(3, "c"), s3);
        StopDecision any = p.observe(failed(4, "d"), s3).orElseThrow();
        assertEquals(LoopStatus.FAILED, any.status());
        assertTrue(any.reason().contains("last signature: d"), any.reason());
    }

    @Test
    void aChangeOrASuccessResetsTheirStreaksAndUnknownChangesDoNotCount() {
        IterationPolicies p = IterationPolicies.of(new StopConfig(2, 0, new FailureStreak(2, 0)));
        PolicyState s = new PolicyState();
        assertTrue(p.observe(ok(1, "a", false), s).isEmpty());
        assertTrue(p.observe(ok(2, "b", true), s).isEmpty());
        assertTrue(p.observe(new IterationFacts(3, "c", null, false, null, false), s).isEmpty());
        assertTrue(p.observe(ok(4, "d", false), s).isEmpty());
        assertTrue(p.observe(ok(5, "e", false), s).isPresent());
        PolicyState f = new PolicyState();
        p.observe(failed(1, "x"), f);
        p.observe(ok(2, "fine", true), f);
        assertTrue(p.observe(failed(3, "x"), f).isEmpty());
        assertTrue(p.observe(failed(4, "x"), f).isPresent());
    }

    @Test
    void stagnationNormalizesCaseAndWhitespaceButNotWords() {
        StagnationPolicy p = new StagnationPolicy(3);
        PolicyState s = new PolicyState();
        assertTrue(p.observe(ok(1, "Done.", true), s).isEmpty());
        assertTrue(p.observe(ok(2, "I am done.", true), s).isEmpty());
        assertTrue(p.observe(ok(3, "  done. ", true), s).isEmpty());
        assertTrue(p.observe(ok(4, "DONE.", true), s).isEmpty());
        assertTrue(p.observe(ok(5, "done.", true), s).isPresent());
        assertFalse(new StagnationPolicy(0).observe(ok(1, "a", true), s).isPresent());
    }

    @Test
    void planFailsAfterTwoInvalidIterationsInARow() {
        PlanValidationPolicy p = new PlanValidationPolicy();
        PolicyState s = new PolicyState();
        IterationFacts invalid = new IterationFacts(1, "x", true, false, null, true);
        assertTrue(p.observe(invalid, s).isEmpty());
        assertTrue(p.observe(ok(2, "y", true), s).isEmpty());
        assertTrue(p.observe(invalid, s).isEmpty());
        StopDecision d = p.observe(invalid, s).orElseThrow();
        assertEquals(LoopStatus.FAILED, d.status());
        assertTrue(d.reason().startsWith("plan_failed"), d.reason());
    }

    @Test
    void judgeAnswersParseFromJsonAndAnythingElseIsNotSatisfied() {
        assertTrue(Judge.parse("sure: {\"satisfied\": true, \"reason\": \"ok\"}", null).satisfied());
        Judge.Verdict no = Judge.parse("{\"satisfied\": \"yes\"}", null);
        assertFalse(no.satisfied());
        assertTrue(no.reason().startsWith("unparseable judge answer: {\"satisfied\": \"yes\"}"), no.reason());
        assertFalse(Judge.parse("Yes, satisfied!", null).satisfied());
        assertEquals("unparseable judge answer: (empty)", Judge.parse("", null).reason());
    }
}
