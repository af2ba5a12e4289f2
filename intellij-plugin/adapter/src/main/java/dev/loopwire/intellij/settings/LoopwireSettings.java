package dev.loopwire.intellij.settings;

import com.intellij.openapi.application.ApplicationManager;
import com.intellij.openapi.components.PersistentStateComponent;
import com.intellij.openapi.components.Service;
import com.intellij.openapi.components.State;
import com.intellij.openapi.components.Storage;
import dev.loopwire.intellij.core.ServerSettings;
import dev.loopwire.protocol.Budget;

/** The plugin's application-wide settings, stored in {@code loopwire.xml}. */
@Service(Service.Level.APP)
@State(name = "LoopwireSettings", storages = @Storage("loopwire.xml"))
public final class LoopwireSettings implements PersistentStateComponent<LoopwireSettings.Values> {

    /** The stored values (public fields, as the platform's XML serializer wants them). */
    public static final class Values {
        public String javaPath = "";
        public String serverJar = "";
        public String serverArgs = "";
        public String defaultProvider = "";
        public String defaultModel = "";
        public String maxIterations = "20";
        public String maxTokens = "";
        public String maxCostUsd = "";
        public String approvalMode = "ask";
    }

    private volatile Values values = new Values();

    /** The instance. */
    public static LoopwireSettings getInstance() {
        return ApplicationManager.getApplication().getService(LoopwireSettings.class);
    }

    @Override
    public Values getState() {
        return values;
    }

    @Override
    public void loadState(Values state) {
        values = state;
    }

    /** How to start the server. */
    public ServerSettings serverSettings() {
        Values v = values;
        return new ServerSettings(v.javaPath, v.serverJar, v.serverArgs);
    }

    /** The default budget for new loops; unparsable fields count as "no limit". */
    public Budget defaultBudget() {
        Values v = values;
        return new Budget(parseInt(v.maxIterations), parseLong(v.maxTokens), null, parseDouble(v.maxCostUsd));
    }

    private static Integer parseInt(String s) {
        try {
            return s == null || s.isBlank() ? null : Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long parseLong(String s) {
        try {
            return s == null || s.isBlank() ? null : Long.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double parseDouble(String s) {
        try {
            return s == null || s.isBlank() ? null : Double.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
