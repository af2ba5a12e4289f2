package dev.loopwire.engine.internal;

import java.util.Map;

/**
 * A loop template: a Markdown task program whose front matter carries its name, description
 * and defaults (dotted keys such as {@code budget.maxIterations}), and whose body is the
 * instructions given to the agent.
 *
 * @param source {@code workspace}, {@code user} or {@code builtin}
 */
public record Template(String name, String source, String description, Map<String, String> defaults,
        String body) {

    public String get(String key) {
        return defaults.get(key);
    }
}
