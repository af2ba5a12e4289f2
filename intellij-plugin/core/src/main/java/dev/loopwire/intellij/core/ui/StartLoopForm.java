package dev.loopwire.intellij.core.ui;

import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.ProviderInfo;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.TemplateInfo;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.util.List;
import java.util.Map;
import javax.swing.DefaultComboBoxModel;
import javax.swing.JComboBox;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.JTextField;

/**
 * The Start Loop form: goal text or goal file, template, provider and model (filled from
 * {@code providers/list} and {@code templates/list}), budget and approval mode. Plain Swing; the
 * IDE wraps it in a dialog. {@link #validateInput()} names the field that is wrong.
 */
public final class StartLoopForm extends JPanel {

    private static final long serialVersionUID = 1L;
    private static final String NO_TEMPLATE = "";

    /** A problem with the input: the message and the field to focus. */
    public record Problem(String message, JComponent field) {
    }

    private final JTextArea goal = new JTextArea(5, 50);
    private final JTextField goalFile = new JTextField();
    private final JComboBox<String> template = new JComboBox<>(new String[] {NO_TEMPLATE});
    private final JComboBox<String> provider = new JComboBox<>();
    private final JComboBox<String> model = new JComboBox<>();
    private final JTextField maxIterations = new JTextField();
    private final JTextField maxTokens = new JTextField();
    private final JTextField maxCost = new JTextField();
    private final JComboBox<String> approval = new JComboBox<>(new String[] {"ask", "auto", "deny"});
    private final JTextField name = new JTextField();
    private final JLabel providerDetail = new JLabel(" ");
    private transient List<ProviderInfo> providers = List.of();

    /**
     * @param defaultProvider provider id to preselect; @param defaultModel model to prefill;
     * @param budget default budget; @param approvalMode default approval mode
     */
    public StartLoopForm(String defaultProvider, String defaultModel, Budget budget, String approvalMode) {
        super(new GridBagLayout());
        goal.setLineWrap(true);
        goal.setWrapStyleWord(true);
        goal.setName("loopwire.start.goal");
        template.setEditable(true);
        provider.setEditable(true);
        if (defaultProvider != null && !defaultProvider.isBlank()) {
            provider.addItem(defaultProvider);
        }
        model.setEditable(true);
        model.setName("loopwire.start.model");
        model.setSelectedItem(defaultModel == null ? "" : defaultModel);
        if (budget != null) {
            maxIterations.setText(budget.maxIterations() == null ? "" : budget.maxIterations().toString());
            maxTokens.setText(budget.maxTokens() == null ? "" : budget.maxTokens().toString());
            maxCost.setText(budget.maxCostUsd() == null ? "" : budget.maxCostUsd().toString());
        }
        approval.setSelectedItem(approvalMode == null || approvalMode.isBlank() ? "ask" : approvalMode);
        provider.addActionListener(e -> {
            showProviderDetail();
            offerModels();
        });
        int y = 0;
        row(y++, UiText.get("start.goal"), new JScrollPane(goal));
        row(y++, UiText.get("start.goalFile"), goalFile);
        row(y++, UiText.get("start.template"), template);
        row(y++, UiText.get("start.provider"), provider);
        row(y++, "", providerDetail);
        row(y++, UiText.get("start.model"), model);
        row(y++, UiText.get("start.maxIterations"), maxIterations);
        row(y++, UiText.get("start.maxTokens"), maxTokens);
        row(y++, UiText.get("start.maxCost"), maxCost);
        row(y++, UiText.get("start.approval"), approval);
        row(y, UiText.get("start.name"), name);
    }

    /** Fills the provider list; keeps the current choice when it is offered. */
    public void setProviders(List<ProviderInfo> list) {
        Object current = provider.getSelectedItem();
        providers = List.copyOf(list);
        DefaultComboBoxModel<String> m = new DefaultComboBoxModel<>();
        for (ProviderInfo p : list) {
            m.addElement(p.id());
        }
        provider.setModel(m);
        if (current != null && list.stream().anyMatch(p -> p.id().equals(current))) {
            provider.setSelectedItem(current);
        } else {
            list.stream().filter(ProviderInfo::available).findFirst().ifPresent(p -> provider.setSelectedItem(p.id()));
        }
        showProviderDetail();
        offerModels();
    }

    /** Fills the template list (plus "no template"). */
    public void setTemplates(List<TemplateInfo> list) {
        DefaultComboBoxModel<String> m = new DefaultComboBoxModel<>();
        m.addElement(NO_TEMPLATE);
        for (TemplateInfo t : list) {
            m.addElement(t.name());
        }
        template.setModel(m);
    }

    /** The field to focus first. */
    public JComponent preferredFocus() {
        return goal;
    }

    /** Sets the goal text (for tests and "start from selection"). */
    public void setGoal(String text) {
        goal.setText(text);
    }

    /** Sets the numeric budget fields as typed (for tests). */
    public void setBudgetText(String iterations, String tokens, String cost) {
        maxIterations.setText(iterations);
        maxTokens.setText(tokens);
        maxCost.setText(cost);
    }

    /** The first problem with the input, or {@code null} when it can be sent. */
    public Problem validateInput() {
        if (goal.getText().isBlank() && goalFile.getText().isBlank() && text(template).isEmpty()) {
            return new Problem(UiText.get("start.error.goal"), goal);
        }
        if (text(provider).isEmpty()) {
            return new Problem(UiText.get("start.error.provider"), provider);
        }
        ProviderInfo info = providers.stream().filter(p -> p.id().equals(text(provider))).findFirst().orElse(null);
        if (info != null && !info.available()) {
            return new Problem(UiText.get("start.error.unavailable", info.id(), info.detail()), provider);
        }
        try {
            positiveInt(maxIterations);
        } catch (NumberFormatException e) {
            return new Problem(UiText.get("start.error.iterations"), maxIterations);
        }
        try {
            positiveLong(maxTokens);
        } catch (NumberFormatException e) {
            return new Problem(UiText.get("start.error.tokens"), maxTokens);
        }
        try {
            positiveDouble(maxCost);
        } catch (NumberFormatException e) {
            return new Problem(UiText.get("start.error.cost"), maxCost);
        }
        return null;
    }

    /** The request for {@code workspace}; call only when {@link #validateInput()} found nothing. */
    public StartLoopParams toParams(String workspace) {
        Budget budget = new Budget(positiveInt(maxIterations), positiveLong(maxTokens), null, positiveDouble(maxCost));
        String m = text(model);
        return new StartLoopParams(workspace, blankToNull(goal.getText()), blankToNull(goalFile.getText()),
                blankToNull(text(template)), null, new ProviderSpec(text(provider), m.isEmpty() ? null : m, Map.of()),
                budget, new ApprovalConfig((String) approval.getSelectedItem(), null, null, null, null), Boolean.TRUE,
                blankToNull(name.getText()), null, null, null, null, null, null);
    }

    /** Offers the chosen provider's models, keeping what was typed or chosen. */
    private void offerModels() {
        String typed = text(model);
        String id = text(provider);
        DefaultComboBoxModel<String> m = new DefaultComboBoxModel<>();
        m.addElement("");
        providers.stream().filter(p -> p.id().equals(id) && p.models() != null).findFirst()
                .ifPresent(p -> p.models().forEach(m::addElement));
        model.setModel(m);
        model.setSelectedItem(typed);
    }

    /** The models offered for the chosen provider (for tests). */
    public java.util.List<String> offeredModels() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < model.getItemCount(); i++) {
            if (!model.getItemAt(i).isEmpty()) {
                out.add(model.getItemAt(i));
            }
        }
        return out;
    }

    /** Chooses a provider by id (for tests and the host). */
    public void chooseProvider(String id) {
        provider.setSelectedItem(id);
    }

    private void showProviderDetail() {
        String id = text(provider);
        providerDetail.setText(providers.stream().filter(p -> p.id().equals(id)).findFirst()
                .map(p -> (p.available() ? UiText.get("start.available") : UiText.get("start.unavailable")) + (p.detail() == null ? "" : ": " + p.detail()))
                .orElse(" "));
    }

    private static String text(JComboBox<String> box) {
        Object o = box.isEditable() ? box.getEditor().getItem() : box.getSelectedItem();
        if (o == null || o.toString().isBlank()) {
            o = box.getSelectedItem();
        }
        return o == null ? "" : o.toString().trim();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static Integer positiveInt(JTextField f) {
        String s = f.getText().trim();
        if (s.isEmpty()) {
            return null;
        }
        int v = Integer.parseInt(s);
        if (v <= 0) {
            throw new NumberFormatException(s);
        }
        return v;
    }

    private static Long positiveLong(JTextField f) {
        String s = f.getText().trim();
        if (s.isEmpty()) {
            return null;
        }
        long v = Long.parseLong(s);
        if (v <= 0) {
            throw new NumberFormatException(s);
        }
        return v;
    }

    private static Double positiveDouble(JTextField f) {
        String s = f.getText().trim();
        if (s.isEmpty()) {
            return null;
        }
        double v = Double.parseDouble(s);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new NumberFormatException(s);
        }
        return v;
    }

    private void row(int y, String label, JComponent field) {
        GridBagConstraints l = new GridBagConstraints();
        l.gridx = 0;
        l.gridy = y;
        l.anchor = GridBagConstraints.NORTHWEST;
        l.insets = new Insets(3, 0, 3, 8);
        add(new JLabel(label), l);
        GridBagConstraints c = new GridBagConstraints();
        c.gridx = 1;
        c.gridy = y;
        c.weightx = 1;
        c.fill = GridBagConstraints.HORIZONTAL;
        c.insets = new Insets(3, 0, 3, 0);
        add(field, c);
    }
}
