package dev.loopwire.intellij.statusBar;

import com.intellij.openapi.project.Project;
import com.intellij.openapi.wm.CustomStatusBarWidget;
import com.intellij.openapi.wm.StatusBar;
import dev.loopwire.intellij.LoopwireBundle;
import dev.loopwire.intellij.core.LoopStore;
import dev.loopwire.intellij.core.LoopStoreListener;
import dev.loopwire.intellij.services.LoopwireProjectService;
import javax.swing.BorderFactory;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.SwingUtilities;

/** "Loopwire: 2 running · 1 awaiting", kept current from the project's loop store. */
final class LoopwireStatusBarWidget implements CustomStatusBarWidget {

    static final String ID = "Loopwire";

    private final LoopStore store;
    private final JLabel label = new JLabel();
    private final LoopStoreListener listener = new LoopStoreListener() {
        @Override
        public void loopChanged(String loopId) {
            SwingUtilities.invokeLater(LoopwireStatusBarWidget.this::refresh);
        }
    };

    LoopwireStatusBarWidget(Project project) {
        this.store = LoopwireProjectService.getInstance(project).store();
        label.setBorder(BorderFactory.createEmptyBorder(0, 6, 0, 6));
        store.addListener(listener);
        refresh();
    }

    @Override
    public String ID() {
        return ID;
    }

    @Override
    public void install(StatusBar statusBar) {
        refresh();
    }

    @Override
    public JComponent getComponent() {
        return label;
    }

    @Override
    public void dispose() {
        store.removeListener(listener);
    }

    private void refresh() {
        int[] counts = store.counts();
        label.setText(counts[0] + counts[1] == 0 ? LoopwireBundle.message("status.widget.idle")
                : LoopwireBundle.message("status.widget.text", counts[0], counts[1]));
        label.setToolTipText(LoopwireBundle.message("status.widget.tooltip", counts[0], counts[1]));
    }
}
