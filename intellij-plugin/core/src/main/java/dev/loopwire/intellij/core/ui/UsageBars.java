package dev.loopwire.intellij.core.ui;

import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.Usage;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JProgressBar;

/**
 * Usage against the budget: iterations, tokens, cost and wall time, each a bar filled to
 * used/limit with the numbers written on it; without a limit the bar stays empty and says so.
 */
public final class UsageBars extends JPanel {

    private static final long serialVersionUID = 1L;
    private static final int SCALE = 1000;

    private final JProgressBar iterations = bar("loopwire.usage.iterations");
    private final JProgressBar tokens = bar("loopwire.usage.tokens");
    private final JProgressBar cost = bar("loopwire.usage.cost");
    private final JProgressBar time = bar("loopwire.usage.time");

    /** Empty bars. */
    public UsageBars() {
        super(new GridBagLayout());
        row(0, "usage.iterations", iterations);
        row(1, "usage.tokens", tokens);
        row(2, "usage.cost", cost);
        row(3, "usage.time", time);
    }

    /** Shows {@code usage} against {@code budget} (either may be {@code null}). */
    public void show(Usage usage, Budget budget) {
        Usage u = usage == null ? new Usage(0, 0, 0, null, 0) : usage;
        Budget b = budget == null ? new Budget(null, null, null, null) : budget;
        set(iterations, u.iterations(), b.maxIterations() == null ? null : b.maxIterations().doubleValue(),
                Integer.toString(u.iterations()), b.maxIterations() == null ? null : b.maxIterations().toString());
        long t = u.inputTokens() + u.outputTokens();
        set(tokens, t, b.maxTokens() == null ? null : b.maxTokens().doubleValue(), Formats.tokens(t),
                b.maxTokens() == null ? null : Formats.tokens(b.maxTokens()));
        double c = u.costUsd() == null ? 0 : u.costUsd();
        set(cost, c, b.maxCostUsd(), Formats.cost(u.costUsd()), b.maxCostUsd() == null ? null : Formats.cost(b.maxCostUsd()));
        set(time, u.elapsedSeconds(), b.maxWallSeconds(), Formats.seconds(u.elapsedSeconds()),
                b.maxWallSeconds() == null ? null : Formats.seconds(b.maxWallSeconds()));
    }

    /** The text on the bar named {@code loopwire.usage.<name>} (for tests). */
    public String barText(String name) {
        return switch (name) {
            case "iterations" -> iterations.getString();
            case "tokens" -> tokens.getString();
            case "cost" -> cost.getString();
            default -> time.getString();
        };
    }

    private static void set(JProgressBar bar, double used, Double limit, String usedText, String limitText) {
        if (limit == null || limit <= 0) {
            bar.setValue(0);
            bar.setString(UiText.get("usage.nolimit", usedText));
        } else {
            bar.setValue((int) Math.min(SCALE, Math.round(used / limit * SCALE)));
            bar.setString(UiText.get("usage.of", usedText, limitText));
        }
    }

    private static JProgressBar bar(String name) {
        JProgressBar b = new JProgressBar(0, SCALE);
        b.setName(name);
        b.setStringPainted(true);
        return b;
    }

    private void row(int y, String key, JProgressBar bar) {
        GridBagConstraints l = new GridBagConstraints();
        l.gridx = 0;
        l.gridy = y;
        l.anchor = GridBagConstraints.WEST;
        l.insets = new Insets(1, 0, 1, 8);
        add(new JLabel(UiText.get(key)), l);
        GridBagConstraints c = new GridBagConstraints();
        c.gridx = 1;
        c.gridy = y;
        c.weightx = 1;
        c.fill = GridBagConstraints.HORIZONTAL;
        c.insets = new Insets(1, 0, 1, 0);
        add(bar, c);
    }
}
