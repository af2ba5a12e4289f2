package dev.loopwire.intellij.core.ui;

import dev.loopwire.protocol.LoopStatus;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Component;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import javax.swing.Icon;

/**
 * A small painted status icon: a filled dot whose colour and mark tell the status (green running,
 * amber awaiting approval with "!", blue paused/created, check mark succeeded, red failed, grey
 * otherwise). Painted, so it needs no image files and scales with the font.
 */
public final class StatusIcon implements Icon {

    private final String status;
    private final int size;

    /** @param status a wire status; @param size the icon's edge in pixels */
    public StatusIcon(String status, int size) {
        this.status = status;
        this.size = size;
    }

    /** The colour of a status. */
    public static Color colorOf(String status) {
        LoopStatus s = LoopStatus.fromWire(status).orElse(null);
        if (s == null) {
            return Color.GRAY;
        }
        return switch (s) {
            case RUNNING -> new Color(0x3C, 0xA5, 0x5C);
            case WAITING -> new Color(0x6A, 0xB0, 0x7D);
            case AWAITING_APPROVAL -> new Color(0xE6, 0x9A, 0x1E);
            case CREATED, PAUSED, INTERRUPTED -> new Color(0x4A, 0x7F, 0xC1);
            case SUCCEEDED -> new Color(0x2E, 0x8B, 0x57);
            case FAILED, APPROVAL_DENIED, APPROVAL_EXPIRED -> new Color(0xC8, 0x3C, 0x3C);
            case BUDGET_EXHAUSTED, NO_PROGRESS -> new Color(0xB0, 0x6A, 0x2A);
            case CANCELLED -> new Color(0x88, 0x88, 0x88);
        };
    }

    @Override
    public void paintIcon(Component c, Graphics g, int x, int y) {
        Graphics2D g2 = (Graphics2D) g.create();
        try {
            g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g2.setColor(colorOf(status));
            g2.fillOval(x + 1, y + 1, size - 2, size - 2);
            g2.setColor(Color.WHITE);
            g2.setStroke(new BasicStroke(Math.max(1.5f, size / 8f), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            LoopStatus s = LoopStatus.fromWire(status).orElse(null);
            int m = size / 2;
            if (s == LoopStatus.AWAITING_APPROVAL) {
                g2.drawLine(x + m, y + size / 4, x + m, y + size * 9 / 16);
                g2.fillOval(x + m - 1, y + size * 11 / 16, 3, 3);
            } else if (s == LoopStatus.SUCCEEDED) {
                g2.drawLine(x + size / 4, y + m, x + m - 1, y + size * 3 / 4 - 1);
                g2.drawLine(x + m - 1, y + size * 3 / 4 - 1, x + size * 3 / 4, y + size / 4 + 1);
            } else if (s == LoopStatus.PAUSED) {
                g2.drawLine(x + m - 2, y + size / 4 + 1, x + m - 2, y + size * 3 / 4 - 1);
                g2.drawLine(x + m + 2, y + size / 4 + 1, x + m + 2, y + size * 3 / 4 - 1);
            } else if (s == LoopStatus.FAILED || s == LoopStatus.APPROVAL_DENIED || s == LoopStatus.CANCELLED) {
                g2.drawLine(x + size / 3, y + size / 3, x + size * 2 / 3, y + size * 2 / 3);
                g2.drawLine(x + size * 2 / 3, y + size / 3, x + size / 3, y + size * 2 / 3);
            }
        } finally {
            g2.dispose();
        }
    }

    @Override
    public int getIconWidth() {
        return size;
    }

    @Override
    public int getIconHeight() {
        return size;
    }
}
