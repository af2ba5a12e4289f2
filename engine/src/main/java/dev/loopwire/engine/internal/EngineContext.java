package dev.loopwire.engine.internal;

import dev.loopwire.engine.EngineOptions;
import dev.loopwire.engine.internal.stop.StopPolicies;
import dev.loopwire.engine.spi.ToolSpec;
import dev.loopwire.engine.tools.Environments;
import dev.loopwire.engine.tools.Redactor;
import dev.loopwire.engine.tools.Tool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What every loop of an engine shares: options, tools, stop rules, listeners. */
final class EngineContext {

    final EngineOptions options;
    final Map<String, Tool> tools = new LinkedHashMap<>();
    final List<ToolSpec> toolSpecs;
    final StopPolicies policies;
    final EventHub hub;
    final Map<String, String> commandEnvironment;
    /**
     * Replaces secrets (known key formats, values of the server's secret variables, and what
     * providers declared as {@link dev.loopwire.engine.spi.Provider#secrets()}) in what is kept or
     * sent. Replaced by a wider one when a provider declares a new secret: read it each time.
     */
    volatile Redactor redactor;
    private final java.util.Set<String> declaredSecrets = new java.util.LinkedHashSet<>();

    EngineContext(EngineOptions options, List<Tool> tools, StopPolicies policies, EventHub hub) {
        this.options = options;
        for (Tool tool : tools) {
            this.tools.put(tool.name(), tool);
        }
        this.toolSpecs = tools.stream().map(Tool::spec).toList();
        this.policies = policies;
        this.hub = hub;
        this.commandEnvironment = Environments.scrub(options.environment());
        this.redactor = Redactor.fromEnvironment(options.environment());
    }

    /** Redacts what {@code redactor} does now (not a redactor fixed at the time of the call). */
    String redact(String text) {
        return redactor.redact(text);
    }

    /** From now on, also redacts these values (a provider's {@code secrets()}). */
    synchronized void declareSecrets(java.util.Collection<String> secrets) {
        boolean added = false;
        for (String s : secrets) {
            if (s != null && s.length() >= Redactor.MIN_SECRET_LENGTH) {
                added |= declaredSecrets.add(s);
            }
        }
        if (added) {
            redactor = Redactor.withSecrets(options.environment(), declaredSecrets);
        }
    }
}
