package dev.loopwire.intellij.core.ui;

import dev.loopwire.intellij.core.LoopCommands;
import dev.loopwire.intellij.core.LoopStore;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.swing.JFrame;
import javax.swing.SwingUtilities;

/** Test helper: shows the panel over a store in a window and saves a screenshot (needs a display). */
public final class PanelScreenshot {

    private PanelScreenshot() {
    }

    /** True when a window can be shown (a DISPLAY, e.g. under xvfb-run). */
    public static boolean possible() {
        return !GraphicsEnvironment.isHeadless();
    }

    /** Shows {@code loopId} and writes {@code target/screenshots/<name>}. */
    public static Path capture(LoopStore store, LoopCommands commands, String loopId, String name) throws Exception {
        AtomicReference<JFrame> frame = new AtomicReference<>();
        AtomicReference<LoopwirePanel> panel = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> {
            LoopwirePanel p = new LoopwirePanel(store, commands, new LoopwirePanel.Hooks() { });
            JFrame f = new JFrame("Loopwire");
            f.setContentPane(p);
            f.setSize(windowSize());
            f.setLocation(0, 0);
            f.setVisible(true);
            p.select(loopId);
            frame.set(f);
            panel.set(p);
        });
        Robot robot = new Robot();
        robot.waitForIdle();
        try {
            AtomicReference<Rectangle> bounds = new AtomicReference<>();
            SwingUtilities.invokeAndWait(() -> {
                panel.get().refreshNow();
                bounds.set(new Rectangle(frame.get().getContentPane().getLocationOnScreen(),
                        frame.get().getContentPane().getSize()));
            });
            robot.waitForIdle();
            BufferedImage image = robot.createScreenCapture(bounds.get());
            Path dir = Path.of(System.getProperty("loopwire.screenshots", "target/screenshots"));
            Files.createDirectories(dir);
            Path file = dir.resolve(name);
            ImageIO.write(image, "png", file.toFile());
            return file;
        } finally {
            SwingUtilities.invokeAndWait(() -> {
                panel.get().dispose();
                frame.get().dispose();
            });
        }
    }

    /** 1180 x 720, or less on a smaller screen (xvfb-run's default screen is 640 x 480). */
    static java.awt.Dimension windowSize() {
        java.awt.Rectangle screen = GraphicsEnvironment.getLocalGraphicsEnvironment().getMaximumWindowBounds();
        return new java.awt.Dimension(Math.min(1180, screen.width), Math.min(720, screen.height));
    }
}
