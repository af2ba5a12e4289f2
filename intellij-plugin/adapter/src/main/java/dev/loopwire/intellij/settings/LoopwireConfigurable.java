package dev.loopwire.intellij.settings;

import com.intellij.openapi.options.Configurable;
import com.intellij.openapi.options.ConfigurationException;
import dev.loopwire.intellij.LoopwireBundle;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.swing.JComboBox;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextField;

/** Settings | Tools | Loopwire: Java path, server jar and arguments, defaults for new loops. */
public final class LoopwireConfigurable implements Configurable {

    private final Map<String, JTextField> fields = new LinkedHashMap<>();
    private final JComboBox<String> approval = new JComboBox<>(new String[] {"ask", "auto", "deny"});
    private JPanel panel;

    @Override
    public String getDisplayName() {
        return LoopwireBundle.message("settings.title");
    }

    @Override
    public JComponent createComponent() {
        panel = new JPanel(new GridBagLayout());
        int y = 0;
        for (String key : new String[] {"java", "jar", "args", "provider", "model", "maxIterations", "maxTokens", "maxCost"}) {
            JTextField f = new JTextField(30);
            fields.put(key, f);
            add(y++, LoopwireBundle.message("settings." + key), f);
        }
        add(y, LoopwireBundle.message("settings.approval"), approval);
        GridBagConstraints filler = new GridBagConstraints();
        filler.gridy = y + 1;
        filler.weighty = 1;
        panel.add(new JLabel(), filler);
        reset();
        return panel;
    }

    @Override
    public boolean isModified() {
        LoopwireSettings.Values v = LoopwireSettings.getInstance().getState();
        return !Objects.equals(v.javaPath, text("java")) || !Objects.equals(v.serverJar, text("jar"))
                || !Objects.equals(v.serverArgs, text("args")) || !Objects.equals(v.defaultProvider, text("provider"))
                || !Objects.equals(v.defaultModel, text("model")) || !Objects.equals(v.maxIterations, text("maxIterations"))
                || !Objects.equals(v.maxTokens, text("maxTokens")) || !Objects.equals(v.maxCostUsd, text("maxCost"))
                || !Objects.equals(v.approvalMode, approval.getSelectedItem());
    }

    @Override
    public void apply() throws ConfigurationException {
        checkNumber("maxIterations", "settings.maxIterations", true);
        checkNumber("maxTokens", "settings.maxTokens", true);
        checkNumber("maxCost", "settings.maxCost", false);
        LoopwireSettings.Values v = new LoopwireSettings.Values();
        v.javaPath = text("java");
        v.serverJar = text("jar");
        v.serverArgs = text("args");
        v.defaultProvider = text("provider");
        v.defaultModel = text("model");
        v.maxIterations = text("maxIterations");
        v.maxTokens = text("maxTokens");
        v.maxCostUsd = text("maxCost");
        v.approvalMode = (String) approval.getSelectedItem();
        LoopwireSettings.getInstance().loadState(v);
    }

    @Override
    public void reset() {
        if (panel == null) {
            return;
        }
        LoopwireSettings.Values v = LoopwireSettings.getInstance().getState();
        fields.get("java").setText(v.javaPath);
        fields.get("jar").setText(v.serverJar);
        fields.get("args").setText(v.serverArgs);
        fields.get("provider").setText(v.defaultProvider);
        fields.get("model").setText(v.defaultModel);
        fields.get("maxIterations").setText(v.maxIterations);
        fields.get("maxTokens").setText(v.maxTokens);
        fields.get("maxCost").setText(v.maxCostUsd);
        approval.setSelectedItem(v.approvalMode);
    }

    @Override
    public void disposeUIResources() {
        panel = null;
        fields.clear();
    }

    private void checkNumber(String key, String labelKey, boolean whole) throws ConfigurationException {
        String s = text(key);
        if (s.isEmpty()) {
            return;
        }
        try {
            double d = whole ? Long.parseLong(s) : Double.parseDouble(s);
            if (!(d > 0)) {
                throw new NumberFormatException(s);
            }
        } catch (NumberFormatException e) {
            throw new ConfigurationException(LoopwireBundle.message("settings.bad.number", LoopwireBundle.message(labelKey)));
        }
    }

    private String text(String key) {
        JTextField f = fields.get(key);
        return f == null ? "" : f.getText().trim();
    }

    private void add(int y, String label, JComponent field) {
        GridBagConstraints l = new GridBagConstraints();
        l.gridx = 0;
        l.gridy = y;
        l.anchor = GridBagConstraints.WEST;
        l.insets = new Insets(3, 0, 3, 8);
        panel.add(new JLabel(label), l);
        GridBagConstraints c = new GridBagConstraints();
        c.gridx = 1;
        c.gridy = y;
        c.weightx = 1;
        c.fill = GridBagConstraints.HORIZONTAL;
        c.insets = new Insets(3, 0, 3, 0);
        panel.add(field, c);
    }
}
