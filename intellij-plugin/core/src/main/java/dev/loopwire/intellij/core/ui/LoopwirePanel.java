package dev.loopwire.intellij.core.ui;

import dev.loopwire.intellij.core.ConnectionState;
import dev.loopwire.intellij.core.LoopCommands;
import dev.loopwire.intellij.core.LoopStore;
import dev.loopwire.intellij.core.LoopStoreListener;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.LoopStatus;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.FlowLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JSplitPane;
import javax.swing.SwingUtilities;

/**
 * The whole Loopwire view, as the IDE's tool window hosts it: a connection banner (with Restart
 * when the server gave up), a toolbar, the loop list and the detail pane. It listens to the
 * {@link LoopStore} and repaints on the event dispatch thread, coalescing bursts of
 * notifications; buttons send requests through {@link LoopCommands}, which never runs RPC on
 * the UI thread.
 */
public final class LoopwirePanel extends JPanel {

    private static final long serialVersionUID = 1L;

    /** What the host (the IDE adapter) does for the panel. Methods do nothing by default. */
    public interface Hooks {
        /** Opens the Start Loop dialog. */
        default void startLoop() {
        }

        /** Opens the loop's memory file in an editor. */
        default void openMemory(String loopId) {
        }

        /** Opens the loop's journal in an editor. */
        default void openJournal(String loopId) {
        }

        /** Restarts the server after it gave up. */
        default void restartServer() {
        }

        /** A request failed; {@code message} is for people. */
        default void requestFailed(String what, String message) {
        }
    }

    private final transient LoopStore store;
    private final transient LoopCommands commands;
    private final transient Hooks hooks;
    private final LoopListPanel list = new LoopListPanel();
    private final LoopDetailPanel detail = new LoopDetailPanel();
    private final JPanel banner = new JPanel(new BorderLayout(8, 0));
    private final JLabel bannerText = new JLabel();
    private final JButton restart = new JButton(UiText.get("connection.restart"));
    private final JLabel error = new JLabel(" ");
    private final JButton step = button("toolbar.step", "loopwire.step");
    private final JButton pause = button("toolbar.pause", "loopwire.pause");
    private final JButton resume = button("toolbar.resume", "loopwire.resume");
    private final JButton cancel = button("toolbar.cancel", "loopwire.cancel");
    private final JButton memory = button("toolbar.memory", "loopwire.memory");
    private final JButton journal = button("toolbar.journal", "loopwire.journal");
    private final transient AtomicBoolean refreshQueued = new AtomicBoolean();
    private volatile String selectedLoopId;
    private final transient LoopStoreListener listener = new LoopStoreListener() {
        @Override
        public void loopChanged(String loopId) {
            queueRefresh();
        }

        @Override
        public void approvalResolved(String loopId, String approvalId) {
            queueRefresh();
        }
    };

    /** A panel over {@code store}; call {@link #dispose()} when the host goes away. */
    public LoopwirePanel(LoopStore store, LoopCommands commands, Hooks hooks) {
        super(new BorderLayout());
        this.store = store;
        this.commands = commands;
        this.hooks = hooks;
        setName("loopwire.panel");

        banner.setBorder(BorderFactory.createEmptyBorder(4, 8, 4, 8));
        banner.setBackground(new Color(0xFD, 0xE2, 0xE2));
        restart.setName("loopwire.restart");
        restart.addActionListener(e -> hooks.restartServer());
        banner.add(bannerText, BorderLayout.CENTER);
        banner.add(restart, BorderLayout.EAST);
        banner.setVisible(false);

        JButton start = button("toolbar.start", "loopwire.start");
        start.addActionListener(e -> hooks.startLoop());
        step.addActionListener(e -> send("step", id -> commands.step(id)));
        pause.addActionListener(e -> send("pause", commands::pause));
        resume.addActionListener(e -> send("resume", id -> commands.resume(id, null)));
        cancel.addActionListener(e -> send("cancel", commands::cancel));
        memory.addActionListener(e -> withSelected(hooks::openMemory));
        journal.addActionListener(e -> withSelected(hooks::openJournal));
        JPanel toolbar = new JPanel(new FlowLayout(FlowLayout.LEFT, 4, 2));
        for (JButton b : new JButton[] {start, step, pause, resume, cancel, memory, journal}) {
            toolbar.add(b);
        }

        JPanel north = new JPanel(new BorderLayout());
        north.add(banner, BorderLayout.NORTH);
        north.add(toolbar, BorderLayout.SOUTH);

        detail.approvalBar().setHandler((approval, decision) -> {
            String loopId = list.selectedLoopId();
            commands.approve(loopId, approval.approvalId(), decision).whenComplete((r, t) -> {
                if (t != null) {
                    SwingUtilities.invokeLater(() -> {
                        detail.approvalBar().enableButtons();
                        showError("approve", LoopCommands.describe(t));
                    });
                }
            });
        });

        JSplitPane split = new JSplitPane(JSplitPane.HORIZONTAL_SPLIT, list, detail);
        split.setResizeWeight(0.3);
        split.setDividerLocation(300);
        list.onSelection(id -> refreshNow());

        error.setName("loopwire.error");
        error.setForeground(new Color(0xC8, 0x3C, 0x3C));
        error.setBorder(BorderFactory.createEmptyBorder(2, 8, 2, 8));

        add(north, BorderLayout.NORTH);
        add(split, BorderLayout.CENTER);
        add(error, BorderLayout.SOUTH);
        store.addListener(listener);
        refreshNow();
    }

    /** Stops listening to the store. */
    public void dispose() {
        store.removeListener(listener);
    }

    /** The loop selected in the list; safe to call from any thread. */
    public String selectedLoopId() {
        return selectedLoopId;
    }

    /** Selects a loop (event dispatch thread). */
    public void select(String loopId) {
        list.select(loopId);
        refreshNow();
    }

    /** The loop list (for the host and tests). */
    public LoopListPanel loopList() {
        return list;
    }

    /** The detail pane (for the host and tests). */
    public LoopDetailPanel detail() {
        return detail;
    }

    /** Shows the connection state in the banner; may be called from any thread. */
    public void setConnectionState(ConnectionState state) {
        SwingUtilities.invokeLater(() -> {
            switch (state.phase()) {
                case CONNECTED -> banner.setVisible(false);
                case STARTING -> showBanner(UiText.get("connection.starting"), false, new Color(0xE8, 0xF0, 0xFB));
                case RESTARTING -> showBanner(UiText.get("connection.restarting", state.message()), false,
                        new Color(0xFF, 0xF4, 0xD6));
                case FAILED -> showBanner(UiText.get("connection.failed", state.message()), true, new Color(0xFD, 0xE2, 0xE2));
                case STOPPED -> showBanner(UiText.get("connection.stopped"), true, new Color(0xEE, 0xEE, 0xEE));
            }
        });
    }

    private void showBanner(String text, boolean withRestart, Color background) {
        bannerText.setText("<html>" + escape(text) + "</html>");
        restart.setVisible(withRestart);
        banner.setBackground(background);
        banner.setVisible(true);
        banner.revalidate();
    }

    private void queueRefresh() {
        if (refreshQueued.compareAndSet(false, true)) {
            SwingUtilities.invokeLater(() -> {
                refreshQueued.set(false);
                refreshNow();
            });
        }
    }

    /** Re-reads the store into the list and the detail pane; event dispatch thread only. */
    public void refreshNow() {
        list.setLoops(store.snapshots());
        String id = list.selectedLoopId();
        selectedLoopId = id;
        dev.loopwire.intellij.core.LoopView view = id == null ? null : store.view(id);
        detail.show(view);
        LoopSnapshot s = view == null ? null : view.snapshot();
        LoopStatus st = s == null ? null : LoopStatus.fromWire(s.status()).orElse(null);
        boolean active = st != null && st.isActive();
        boolean finished = st != null && st.isTerminal();
        boolean resumable = s != null && s.resumable();
        step.setEnabled(st != null && !active && (!finished || resumable));
        pause.setEnabled(active);
        resume.setEnabled(st != null && !active && (st == LoopStatus.PAUSED || resumable));
        cancel.setEnabled(st != null && !finished);
        memory.setEnabled(s != null);
        journal.setEnabled(s != null);
    }

    private void withSelected(java.util.function.Consumer<String> action) {
        String id = list.selectedLoopId();
        if (id != null) {
            action.accept(id);
        }
    }

    private void send(String what, Function<String, CompletableFuture<?>> request) {
        String id = list.selectedLoopId();
        if (id == null) {
            return;
        }
        error.setText(" ");
        request.apply(id).whenComplete((r, t) -> {
            if (t != null) {
                SwingUtilities.invokeLater(() -> showError(what, LoopCommands.describe(t)));
            }
        });
    }

    private void showError(String what, String message) {
        error.setText(UiText.get("error.request", what, message));
        hooks.requestFailed(what, message);
    }

    private static JButton button(String key, String name) {
        JButton b = new JButton(UiText.get(key));
        b.setName(name);
        return b;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
