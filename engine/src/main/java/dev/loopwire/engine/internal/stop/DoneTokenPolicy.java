package dev.loopwire.engine.internal.stop;

import dev.loopwire.protocol.LoopStatus;
import java.util.Optional;

/** {@code succeeded} when a line of the assistant's text reads exactly the done token. */
public final class DoneTokenPolicy implements StopPolicy {

    @Override
    public Optional<StopDecision> check(StopContext context) {
        if (context.assistantText() == null || !claimsDone(context.assistantText(), context.doneToken())) {
            return Optional.empty();
        }
        return Optional.of(new StopDecision(LoopStatus.SUCCEEDED,
                "the agent reported the goal reached (" + context.doneToken() + ")"));
    }

    public static boolean claimsDone(String text, String token) {
        return text.lines().anyMatch(line -> line.strip().equals(token));
    }
}
