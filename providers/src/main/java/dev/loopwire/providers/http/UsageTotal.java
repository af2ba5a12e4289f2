package dev.loopwire.providers.http;

import dev.loopwire.engine.spi.TurnUsage;

/** Sums the usage of the calls of one turn; the cost stays unknown if any call's cost is. */
public final class UsageTotal {

    private long input;
    private long output;
    private long cached;
    private double cost;
    private boolean costKnown = true;

    public void add(TurnUsage usage) {
        input += usage.inputTokens();
        output += usage.outputTokens();
        cached += usage.cachedInputTokens();
        if (usage.costUsd() == null) {
            costKnown = false;
        } else {
            cost += usage.costUsd();
        }
    }

    public long outputTokens() {
        return output;
    }

    public TurnUsage toUsage() {
        return new TurnUsage(input, output, cached, costKnown ? cost : null);
    }
}
