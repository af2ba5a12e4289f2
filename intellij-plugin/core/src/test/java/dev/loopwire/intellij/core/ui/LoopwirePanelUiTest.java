package dev.loopwire.intellij.core.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.loopwire.intellij.core.ConnectionState;
import dev.loopwire.intellij.core.Fixtures;
import dev.loopwire.intellij.core.LoopCommands;
import dev.loopwire.intellij.core.LoopStore;
import dev.loopwire.intellij.core.RecordingLoopwireServer;
import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopProgressParams;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.ToolCall;
import dev.loopwire.protocol.Usage;
import java.awt.Component;
import java.awt.Container;
import java.awt.GraphicsEnvironment;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.event.InputEvent;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The panels in a real window (under Xvfb in CI): a loop with streamed output and a pending
 * approval is rendered, the Approve button is clicked with the mouse, and the request that
 * reaches the (recording) server is checked. Saves screenshots to target/screenshots.
 * Skipped, with a message, where there is no display.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopwirePanelUiTest {

    private static final String WS = "/home/dev/projects/shop";

    private final RecordingLoopwireServer server = new RecordingLoopwireServer();
    private final LoopStore store = new LoopStore(WS);
    private JFrame frame;
    private LoopwirePanel panel;
    private Robot robot;

    @BeforeEach
    void needsADisplay() throws Exception {
        assumeFalse(GraphicsEnvironment.isHeadless(),
                "No display (DISPLAY unset): the Swing panel test needs one; run under xvfb-run");
        robot = new Robot();
        robot.setAutoDelay(20);
    }

    @AfterEach
    void close() throws Exception {
        if (frame != null) {
            SwingUtilities.invokeAndWait(() -> {
                panel.dispose();
                frame.dispose();
            });
        }
    }

    private void showPanel(LoopwirePanel.Hooks hooks) throws Exception {
        LoopCommands commands = new LoopCommands(() -> server, Executors.newSingleThreadExecutor(), store);
        SwingUtilities.invokeAndWait(() -> {
            panel = new LoopwirePanel(store, commands, hooks);
            frame = new JFrame("Loopwire");
            frame.setContentPane(panel);
            frame.setSize(windowSize());
            frame.setLocation(0, 0);
            frame.setVisible(true);
        });
        robot.waitForIdle();
    }

    private void feedLoopWithPendingApproval() {
        server.put(Fixtures.loop("L1", WS, "running", null), List.of(Fixtures.iteration(1)));
        server.put(new dev.loopwire.protocol.LoopSnapshot("L0", "docs-refresh", WS, "succeeded", 3,
                new Usage(3, 8100, 2200, 0.031, 95), new dev.loopwire.protocol.Budget(5, null, null, 0.5),
                null, null, null, "done token", false, null, null, null), List.of());
        store.attach(server);
        store.status(new LoopStatusParams("L0", "succeeded", "done token", false, null));
        store.status(new LoopStatusParams("L1", "running", null, false, null));
        store.progress(new LoopProgressParams("L1", 2, "tools", "turn 2", new Usage(2, 4200, 880, 0.0421, 37)));
        store.output(new LoopOutputParams("L1", 2, "thought", "The tests fail in CartTest; the rounding is off.", null));
        store.output(new LoopOutputParams("L1", 2, "text", "I will fix the rounding in ", null));
        store.output(new LoopOutputParams("L1", 2, "text", "Cart.total() and run the tests.\n", null));
        ToolCall write = new ToolCall("c1", "write_file", Map.of("path", "src/main/java/shop/Cart.java"), "ok", "written 1.2 kB");
        store.output(new LoopOutputParams("L1", 2, "tool_call", null, write));
        store.output(new LoopOutputParams("L1", 2, "tool_result", null, write));
        ToolCall run = new ToolCall("c2", "run_command", Map.of("command", "mvn -q test"), "pending", null);
        store.output(new LoopOutputParams("L1", 2, "tool_call", null, run));
        store.approvalRequested(new ApprovalRequestedParams("L1", Fixtures.approval("A1")));
    }

    @Test
    void approveClickSendsLoopApprove() throws Exception {
        feedLoopWithPendingApproval();
        showPanel(new LoopwirePanel.Hooks() { });
        SwingUtilities.invokeAndWait(() -> {
            panel.loopList().select("L1");
            panel.refreshNow();
        });
        robot.waitForIdle();

        AtomicReference<String> output = new AtomicReference<>();
        AtomicReference<String> tokens = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> {
            output.set(panel.detail().outputText());
            tokens.set(panel.detail().usageBars().barText("tokens"));
        });
        assertTrue(output.get().contains("I will fix the rounding in Cart.total() and run the tests."), output.get());
        assertTrue(output.get().contains("run_command {\"command\":\"mvn -q test\"}"), output.get());
        assertEquals("5.1k / 50.0k", tokens.get());
        screenshot("intellij-tool-window.png");

        JButton approve = find(panel, "loopwire.approve", JButton.class);
        clickCenter(approve);

        RecordingLoopwireServer.Call call = server.next("loop/approve");
        assertEquals(new ApproveParams("L1", "A1", "allow_once", null), call.params());
        robot.waitForIdle();
        AtomicReference<Boolean> enabled = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> enabled.set(approve.isEnabled()));
        assertEquals(false, enabled.get(), "buttons wait for the answer");
    }

    @Test
    void failedServerShowsRestartThatReachesTheHost() throws Exception {
        CountDownLatch restarted = new CountDownLatch(1);
        showPanel(new LoopwirePanel.Hooks() {
            @Override
            public void restartServer() {
                restarted.countDown();
            }
        });
        panel.setConnectionState(new ConnectionState(ConnectionState.Phase.FAILED,
                "The Loopwire server stopped 6 times in 10 minutes (last exit code 1) and is not restarted again."));
        robot.waitForIdle();
        screenshot("intellij-server-failed.png");
        clickCenter(find(panel, "loopwire.restart", JButton.class));
        assertTrue(restarted.await(10, TimeUnit.SECONDS));
    }

    @Test
    void startLoopFormShowsProvidersTemplatesAndBudget() throws Exception {
        AtomicReference<StartLoopForm> form = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> {
            StartLoopForm f = new StartLoopForm("scripted", "", new dev.loopwire.protocol.Budget(20, null, null, 2.0), "ask");
            f.setProviders(List.of(new dev.loopwire.protocol.ProviderInfo("scripted", true, "turns from a file", List.of()),
                    new dev.loopwire.protocol.ProviderInfo("openai", true, "OPENAI_API_KEY set", List.of("gpt-4.1", "o4-mini")),
                    new dev.loopwire.protocol.ProviderInfo("claude-code", false, "claude not on PATH", List.of())));
            f.setTemplates(List.of(new dev.loopwire.protocol.TemplateInfo("fix-tests", "builtin", "Make the tests pass")));
            f.setGoal("Make CartTest pass without changing the test.");
            f.chooseProvider("openai");
            form.set(f);
            frame = new JFrame("Start Loop");
            frame.setContentPane(f);
            frame.pack();
            frame.setLocation(0, 0);
            frame.setVisible(true);
            panel = new LoopwirePanel(store, new LoopCommands(() -> server, Runnable::run, store), new LoopwirePanel.Hooks() { });
        });
        robot.waitForIdle();
        screenshot("intellij-start-loop.png");
        AtomicReference<String> problem = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> {
            StartLoopForm.Problem p = form.get().validateInput();
            problem.set(p == null ? null : p.message());
        });
        assertEquals(null, problem.get());
        assertEquals(List.of("gpt-4.1", "o4-mini"), form.get().offeredModels());
    }

    private void clickCenter(Component c) throws Exception {
        AtomicReference<Point> at = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> {
            assertTrue(c.isShowing() && c.isEnabled(), c.getName() + " is shown and enabled");
            Point p = c.getLocationOnScreen();
            at.set(new Point(p.x + c.getWidth() / 2, p.y + c.getHeight() / 2));
        });
        robot.mouseMove(at.get().x, at.get().y);
        robot.mousePress(InputEvent.BUTTON1_DOWN_MASK);
        robot.mouseRelease(InputEvent.BUTTON1_DOWN_MASK);
        robot.waitForIdle();
    }

    private void screenshot(String name) throws Exception {
        AtomicReference<Rectangle> bounds = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> bounds.set(new Rectangle(frame.getContentPane().getLocationOnScreen(),
                frame.getContentPane().getSize())));
        robot.waitForIdle();
        BufferedImage image = robot.createScreenCapture(bounds.get());
        Path dir = Path.of(System.getProperty("loopwire.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        ImageIO.write(image, "png", dir.resolve(name).toFile());
    }

    private static <T extends Component> T find(Container root, String name, Class<T> type) {
        for (Component c : root.getComponents()) {
            if (name.equals(c.getName()) && type.isInstance(c)) {
                return type.cast(c);
            }
            if (c instanceof Container child) {
                T found = find(child, name, type);
                if (found != null) {
                    return found;
                }
            }
        }
        if (root == null) {
            throw new AssertionError(name);
        }
        return null;
    }

    /** 1180 x 720, or less on a smaller screen (xvfb-run's default screen is 640 x 480). */
    static java.awt.Dimension windowSize() {
        java.awt.Rectangle screen = GraphicsEnvironment.getLocalGraphicsEnvironment().getMaximumWindowBounds();
        return new java.awt.Dimension(Math.min(1180, screen.width), Math.min(720, screen.height));
    }
}
