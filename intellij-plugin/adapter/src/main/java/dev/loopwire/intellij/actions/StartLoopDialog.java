package dev.loopwire.intellij.actions;

import com.intellij.openapi.project.Project;
import com.intellij.openapi.ui.DialogWrapper;
import com.intellij.openapi.ui.ValidationInfo;
import dev.loopwire.intellij.LoopwireBundle;
import dev.loopwire.intellij.core.ui.StartLoopForm;
import dev.loopwire.intellij.services.LoopwireProjectService;
import dev.loopwire.intellij.settings.LoopwireSettings;
import dev.loopwire.protocol.StartLoopParams;
import javax.swing.JComponent;
import javax.swing.SwingUtilities;

/**
 * The Start Loop dialog around the core's {@link StartLoopForm}. Providers and templates are
 * fetched in the background ({@code providers/list}, {@code templates/list}) and filled in when
 * they arrive; bad input is shown next to its field and nothing is sent.
 */
final class StartLoopDialog extends DialogWrapper {

    private final LoopwireProjectService service;
    private final StartLoopForm form;

    StartLoopDialog(Project project, LoopwireProjectService service) {
        super(project);
        this.service = service;
        LoopwireSettings.Values v = LoopwireSettings.getInstance().getState();
        this.form = new StartLoopForm(v.defaultProvider, v.defaultModel, LoopwireSettings.getInstance().defaultBudget(),
                v.approvalMode);
        setTitle(LoopwireBundle.message("dialog.start.title"));
        init();
        service.commands().providers().thenAccept(r -> SwingUtilities.invokeLater(() -> form.setProviders(r.providers())));
        service.commands().templates().thenAccept(r -> SwingUtilities.invokeLater(() -> form.setTemplates(r.templates())));
    }

    @Override
    protected JComponent createCenterPanel() {
        return form;
    }

    @Override
    public JComponent getPreferredFocusedComponent() {
        return form.preferredFocus();
    }

    @Override
    protected ValidationInfo doValidate() {
        StartLoopForm.Problem p = form.validateInput();
        return p == null ? null : new ValidationInfo(p.message(), p.field());
    }

    StartLoopParams params() {
        return form.toParams(service.workspace());
    }
}
