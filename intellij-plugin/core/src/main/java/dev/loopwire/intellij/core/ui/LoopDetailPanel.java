package dev.loopwire.intellij.core.ui;

import dev.loopwire.intellij.core.LoopView;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.LoopSnapshot;
import java.awt.BorderLayout;
import java.awt.Font;
import java.util.List;
import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTabbedPane;
import javax.swing.JTable;
import javax.swing.table.DefaultTableModel;

/**
 * One loop in detail: header with status, reason and phase; usage bars against the budget; the
 * approval bar while a decision is pending; the streamed output and the completed iterations.
 * Call {@link #show} on the event dispatch thread.
 */
public final class LoopDetailPanel extends JPanel {

    private static final long serialVersionUID = 1L;

    private final JLabel title = new JLabel(UiText.get("detail.none"));
    private final JLabel subtitle = new JLabel(" ");
    private final UsageBars usage = new UsageBars();
    private final ApprovalBar approval = new ApprovalBar();
    private final OutputPane output = new OutputPane();
    private final DefaultTableModel iterations = new DefaultTableModel(new Object[] {
        UiText.get("detail.col.index"), UiText.get("detail.col.outcome"), UiText.get("detail.col.summary"),
        UiText.get("detail.col.tools"), UiText.get("detail.col.tokens"), UiText.get("detail.col.seconds")}, 0) {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean isCellEditable(int row, int column) {
            return false;
        }
    };
    private long shownVersion = -1;
    private String shownLoop;

    /** An empty detail pane. */
    public LoopDetailPanel() {
        super(new BorderLayout());
        title.setFont(title.getFont().deriveFont(Font.BOLD, title.getFont().getSize2D() + 1f));
        title.setIconTextGap(6);
        JPanel head = new JPanel();
        head.setLayout(new BoxLayout(head, BoxLayout.Y_AXIS));
        head.setBorder(BorderFactory.createEmptyBorder(6, 8, 6, 8));
        title.setAlignmentX(LEFT_ALIGNMENT);
        subtitle.setAlignmentX(LEFT_ALIGNMENT);
        usage.setAlignmentX(LEFT_ALIGNMENT);
        head.add(title);
        head.add(subtitle);
        head.add(usage);
        JPanel north = new JPanel(new BorderLayout());
        north.add(head, BorderLayout.NORTH);
        north.add(approval, BorderLayout.SOUTH);
        JTabbedPane tabs = new JTabbedPane();
        tabs.addTab(UiText.get("detail.tab.output"), new JScrollPane(output));
        JTable table = new JTable(iterations);
        table.setName("loopwire.iterations");
        table.getColumnModel().getColumn(0).setMaxWidth(40);
        tabs.addTab(UiText.get("detail.tab.iterations"), new JScrollPane(table));
        add(north, BorderLayout.NORTH);
        add(tabs, BorderLayout.CENTER);
        usage.setVisible(false);
    }

    /** The approval bar, to wire its handler. */
    public ApprovalBar approvalBar() {
        return approval;
    }

    /** The usage bars (for tests). */
    public UsageBars usageBars() {
        return usage;
    }

    /** The output text as shown (for tests). */
    public String outputText() {
        return output.getText();
    }

    /** Shows {@code view}, or the empty state for {@code null}. Unchanged views are skipped. */
    public void show(LoopView view) {
        if (view == null) {
            shownLoop = null;
            shownVersion = -1;
            title.setIcon(null);
            title.setText(UiText.get("detail.none"));
            subtitle.setText(" ");
            usage.setVisible(false);
            approval.show(null);
            output.clear();
            iterations.setRowCount(0);
            return;
        }
        if (view.loopId().equals(shownLoop) && view.version() == shownVersion) {
            return;
        }
        shownLoop = view.loopId();
        shownVersion = view.version();
        LoopSnapshot s = view.snapshot();
        title.setIcon(new StatusIcon(s.status(), Math.max(16, title.getFont().getSize() + 2)));
        title.setText((s.name() == null ? s.loopId() : s.name()) + "  \u2014  " + s.status());
        StringBuilder sub = new StringBuilder();
        if (view.phase() != null && !view.phase().isEmpty()) {
            sub.append(UiText.get("detail.phase", view.phase()));
            if (view.message() != null && !view.message().isEmpty()) {
                sub.append(" (").append(view.message()).append(')');
            }
        }
        if (s.reason() != null && !s.reason().isEmpty()) {
            sub.append(sub.length() > 0 ? "   " : "").append(UiText.get("detail.reason", s.reason()));
        }
        if (s.recommendedAction() != null && !s.recommendedAction().isEmpty()) {
            sub.append(sub.length() > 0 ? "   " : "").append(UiText.get("detail.recommended", s.recommendedAction()));
        }
        subtitle.setText(sub.length() == 0 ? " " : sub.toString());
        usage.setVisible(true);
        usage.show(s.usage(), s.budget());
        approval.show(s.pendingApproval());
        output.show(s.loopId(), view.output());
        showIterations(view.iterations());
        revalidate();
        repaint();
    }

    private void showIterations(List<IterationRecord> records) {
        iterations.setRowCount(0);
        for (IterationRecord r : records) {
            long tokens = r.usage() == null ? 0 : r.usage().inputTokens() + r.usage().outputTokens();
            iterations.addRow(new Object[] {r.index(), r.outcome(), r.summary(),
                r.toolCalls() == null ? 0 : r.toolCalls().size(), Formats.tokens(tokens),
                String.format(java.util.Locale.ROOT, "%.1f", r.durationSeconds())});
        }
    }
}
