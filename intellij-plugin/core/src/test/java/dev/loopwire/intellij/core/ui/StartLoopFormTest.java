package dev.loopwire.intellij.core.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.ProviderInfo;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.TemplateInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The form needs no display: Swing's lightweight components work headless. */
class StartLoopFormTest {

    private StartLoopForm form() {
        StartLoopForm f = new StartLoopForm("scripted", "", new Budget(20, null, null, null), "ask");
        f.setProviders(List.of(new ProviderInfo("scripted", true, "turns from a file", List.of()),
                new ProviderInfo("anthropic", false, "set ANTHROPIC_API_KEY", List.of("claude-sonnet-4"))));
        f.setTemplates(List.of(new TemplateInfo("fix-tests", "builtin", "Make the tests pass")));
        return f;
    }

    @Test
    void goalAndBudgetBecomeTheRequest() {
        StartLoopForm f = form();
        f.setGoal("Make CartTest pass");
        f.setBudgetText("10", "50000", "0.5");
        assertNull(f.validateInput());
        StartLoopParams p = f.toParams("/ws");
        assertEquals("/ws", p.workspace());
        assertEquals("Make CartTest pass", p.goal());
        assertEquals("scripted", p.provider().id());
        assertEquals(new Budget(10, 50_000L, null, 0.5), p.budget());
        assertEquals("ask", p.approval().mode());
        assertEquals(Boolean.TRUE, p.autoRun());
    }

    @Test
    void modelsFollowTheChosenProviderAndUnavailableProvidersAreRefused() {
        StartLoopForm f = form();
        f.setGoal("x");
        assertEquals(List.of(), f.offeredModels());
        f.chooseProvider("anthropic");
        assertEquals(List.of("claude-sonnet-4"), f.offeredModels());
        assertTrue(f.validateInput().message().contains("ANTHROPIC_API_KEY"), f.validateInput().message());
    }

    @Test
    void badInputIsNamed() {
        StartLoopForm f = form();
        assertTrue(f.validateInput().message().contains("goal"));
        f.setGoal("x");
        f.setBudgetText("-1", "", "");
        assertTrue(f.validateInput().message().contains("Max iterations"));
        f.setBudgetText("", "", "free");
        assertTrue(f.validateInput().message().contains("Max cost"));
    }
}
