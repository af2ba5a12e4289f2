package dev.loopwire.engine.internal.stop;

import java.util.Optional;

/**
 * One stop rule. Checked after every iteration (with the assistant's text) and before an
 * iteration starts (without it, so that an exhausted budget is not overrun). Each rule says
 * why it stopped the loop in its own words.
 */
public interface StopPolicy {

    /** Empty when the loop may go on. */
    Optional<StopDecision> check(StopContext context);
}
