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
    /** Replaces secrets (known key formats, values of the server's secret variables) in what is kept or sent. */
    final Redactor redactor;

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
}
