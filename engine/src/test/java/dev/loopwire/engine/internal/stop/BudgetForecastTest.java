package dev.loopwire.engine.internal.stop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.spi.ChatMessage;
import dev.loopwire.engine.spi.ToolCallRequest;
import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.LoopStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetForecastTest {

    @Test
    void inputIsTheLargerOfTheLastCallAndTheCharactersOverFour() {
        PolicyState last = new PolicyState();
        assertEquals(250, BudgetForecast.of(last, 1000).inputTokens());
        BudgetForecast.remember(last, 1000, 900, 50, null);
        assertEquals(900, BudgetForecast.of(last, 1000).inputTokens());
        assertEquals(2000, BudgetForecast.of(last, 8000).inputTokens());
    }

    @Test
    void charactersCountSystemPromptHistoryAndToolCalls() {
        List<ChatMessage> history = List.of(ChatMessage.user("12345"),
                ChatMessage.assistant("ab", List.of(new ToolCallRequest("c1", "read", Map.of(), "{\"p\":1}"))),
                ChatMessage.toolResult("c1", "read", "xyz", false));
        assertEquals(3 + 4 + 5 + 2 + 4 + 7 + 3, BudgetForecast.chars("sys", "goal", history));
    }

    @Test
    void tokensStopWhenUsedPlusForecastReachTheBudgetAndClampTheOutput() {
        PolicyState last = new PolicyState();
        BudgetForecast.remember(last, 100, 400, 200, null);
        BudgetForecast forecast = BudgetForecast.of(last, 100);
        Budget budget = new Budget(null, 1000L, null, null);
        assertTrue(forecast.check(budget, 599, null).isEmpty());
        assertEquals(Long.valueOf(1), forecast.maxOutputTokens(budget, 599));
        StopDecision stop = forecast.check(budget, 600, null).orElseThrow();
        assertEquals(LoopStatus.BUDGET_EXHAUSTED, stop.status());
        assertEquals("the next call needs about 400 input tokens; 400 of 1000 tokens left", stop.reason());
        assertEquals("the next call needs about 400 input tokens; 0 of 1000 tokens left",
                forecast.check(budget, 1200, null).orElseThrow().reason());
        assertEquals(Long.valueOf(1000 - 100 - 400), forecast.maxOutputTokens(budget, 100));
        assertNull(forecast.maxOutputTokens(new Budget(5, null, null, null), 100));
        assertTrue(forecast.check(null, 5000, null).isEmpty());
    }

    @Test
    void costIsTheLastCallsCostScaledByTheGrowthOfTheRequest() {
        PolicyState last = new PolicyState();
        BudgetForecast.remember(last, 1000, 250, 100, 0.10);
        assertEquals(0.10, BudgetForecast.of(last, 800).costUsd(), 1e-12);
        assertEquals(0.15, BudgetForecast.of(last, 1500).costUsd(), 1e-12);
        Budget budget = new Budget(null, null, null, 1.0);
        BudgetForecast forecast = BudgetForecast.of(last, 1500);
        assertTrue(forecast.check(budget, 0, 0.84).isEmpty());
        assertEquals("the next call would cost about $0.1500; $0.1000 of $1.0000 left",
                forecast.check(budget, 0, 0.90).orElseThrow().reason());
    }

    @Test
    void anUnknownCostForecastsNothing() {
        PolicyState last = new PolicyState();
        assertNull(BudgetForecast.of(last, 1000).costUsd());
        BudgetForecast.remember(last, 1000, 250, 100, null);
        BudgetForecast forecast = BudgetForecast.of(last, 1000);
        assertNull(forecast.costUsd());
        assertTrue(forecast.check(new Budget(null, null, null, 0.01), 0, 5.0).isEmpty());
        assertTrue(forecast.check(new Budget(null, null, null, 0.01), 0, null).isEmpty());
    }
}
