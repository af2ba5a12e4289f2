package dev.loopwire.intellij.core.ui;

import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.Usage;
import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.Font;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.DefaultListModel;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.ListCellRenderer;
import javax.swing.ListSelectionModel;

/**
 * The list of loops: status icon, name, status, iteration k/N, tokens and cost. Call
 * {@link #setLoops} on the event dispatch thread; the selection is kept across updates.
 */
public final class LoopListPanel extends JPanel {

    private static final long serialVersionUID = 1L;

    private final DefaultListModel<LoopSnapshot> model = new DefaultListModel<>();
    private final JList<LoopSnapshot> list = new JList<>(model);
    private final JLabel empty = new JLabel("<html>" + UiText.get("list.empty") + "</html>");
    private transient Consumer<String> selectionListener = id -> { };
    private boolean updating;

    /** An empty list. */
    public LoopListPanel() {
        super(new BorderLayout());
        list.setName("loopwire.loopList");
        list.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        list.setCellRenderer(new Renderer());
        list.addListSelectionListener(e -> {
            if (!e.getValueIsAdjusting() && !updating) {
                selectionListener.accept(selectedLoopId());
            }
        });
        empty.setBorder(BorderFactory.createEmptyBorder(8, 8, 8, 8));
        add(new JScrollPane(list), BorderLayout.CENTER);
        add(empty, BorderLayout.NORTH);
    }

    /** Called with the selected loop id (or {@code null}) whenever the person selects another loop. */
    public void onSelection(Consumer<String> listener) {
        this.selectionListener = Objects.requireNonNull(listener);
    }

    /** Replaces the shown loops, keeping the selection; selects the first loop when none was. */
    public void setLoops(List<LoopSnapshot> loops) {
        String selected = selectedLoopId();
        updating = true;
        try {
            model.clear();
            int index = -1;
            for (int i = 0; i < loops.size(); i++) {
                model.addElement(loops.get(i));
                if (loops.get(i).loopId().equals(selected)) {
                    index = i;
                }
            }
            if (index < 0 && !loops.isEmpty()) {
                index = 0;
            }
            if (index >= 0) {
                list.setSelectedIndex(index);
            }
        } finally {
            updating = false;
        }
        empty.setVisible(loops.isEmpty());
        String now = selectedLoopId();
        if (!Objects.equals(now, selected)) {
            selectionListener.accept(now);
        }
    }

    /** Selects a loop by id, if shown. */
    public void select(String loopId) {
        for (int i = 0; i < model.size(); i++) {
            if (model.get(i).loopId().equals(loopId)) {
                list.setSelectedIndex(i);
                return;
            }
        }
    }

    /** The selected loop's id, or {@code null}. */
    public String selectedLoopId() {
        LoopSnapshot s = list.getSelectedValue();
        return s == null ? null : s.loopId();
    }

    /** The rendered line of a loop, as shown (for tests and accessibility). */
    public static String describe(LoopSnapshot s) {
        Usage u = s.usage();
        Integer max = s.budget() == null ? null : s.budget().maxIterations();
        String iteration = max == null ? UiText.get("list.iteration.unbounded", s.iteration())
                : UiText.get("list.iteration", s.iteration(), max);
        long tokens = u == null ? 0 : u.inputTokens() + u.outputTokens();
        return (s.name() == null ? s.loopId() : s.name()) + "  \u00b7  " + s.status() + "  \u00b7  " + iteration
                + "  \u00b7  " + UiText.get("list.tokens", Formats.tokens(tokens)) + "  \u00b7  "
                + Formats.cost(u == null ? null : u.costUsd());
    }

    private static final class Renderer extends JPanel implements ListCellRenderer<LoopSnapshot> {
        private static final long serialVersionUID = 1L;
        private final JLabel title = new JLabel();
        private final JLabel detail = new JLabel();

        Renderer() {
            super(new BorderLayout(0, 2));
            setBorder(BorderFactory.createEmptyBorder(4, 6, 4, 6));
            title.setIconTextGap(6);
            detail.setFont(detail.getFont().deriveFont(Font.PLAIN, detail.getFont().getSize2D() - 1f));
            detail.setBorder(BorderFactory.createEmptyBorder(0, 22, 0, 0));
            add(title, BorderLayout.NORTH);
            add(detail, BorderLayout.SOUTH);
        }

        @Override
        public Component getListCellRendererComponent(JList<? extends LoopSnapshot> list, LoopSnapshot s, int index,
                boolean selected, boolean focus) {
            int size = Math.max(14, title.getFont().getSize() + 2);
            title.setIcon(new StatusIcon(s.status(), size));
            title.setText((s.name() == null ? s.loopId() : s.name()) + "   " + s.status());
            title.setFont(title.getFont().deriveFont(Font.BOLD));
            String line = describe(s);
            detail.setText(line.substring(line.indexOf("\u00b7", line.indexOf("\u00b7") + 1) + 1).trim());
            setBackground(selected ? list.getSelectionBackground() : list.getBackground());
            title.setForeground(selected ? list.getSelectionForeground() : list.getForeground());
            detail.setForeground(selected ? list.getSelectionForeground() : StatusIcon.colorOf("cancelled").darker());
            setOpaque(true);
            setToolTipText(line);
            return this;
        }
    }
}
