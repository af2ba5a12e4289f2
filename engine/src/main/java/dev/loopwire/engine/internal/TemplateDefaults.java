package dev.loopwire.engine.internal;

import dev.loopwire.engine.LoopException;
import dev.loopwire.protocol.CheckConfig;
import dev.loopwire.protocol.FailureStreak;
import dev.loopwire.protocol.JudgeConfig;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StopConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A template's defaults for the issue-4 fields of {@code loop/start} ({@code args}, {@code check},
 * {@code judge}, {@code stop}, {@code promptPrefix}, {@code history}), and their validation. What
 * {@code loop/start} gives wins over the template, field by field.
 *
 * <p>Arguments: front matter {@code args:} gives defaults ({@code args.name: value}), {@code required:}
 * lists names that must be given; every {@code {{name}}} in the body or the check command that has
 * no value is required too. A missing argument is INVALID_LOOP_CONFIG naming it.
 */
final class TemplateDefaults {

    /** Placeholders the engine fills itself. */
    static final Set<String> BUILT_IN = Set.of("goal", "doneToken");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");

    private TemplateDefaults() {
    }

    static Map<String, Object> args(Template t, Map<String, Object> given) throws LoopException {
        Map<String, Object> args = new LinkedHashMap<>();
        t.defaults().forEach((k, v) -> {
            if (k.startsWith("args.")) {
                args.put(k.substring(5), v);
            }
        });
        if (given != null) {
            given.forEach((k, v) -> {
                if (v != null) {
                    args.put(k, v);
                }
            });
        }
        Set<String> needed = new LinkedHashSet<>();
        String required = t.get("required");
        if (required != null) {
            for (String name : required.replaceAll("[\\[\\]]", "").split(",")) {
                if (!name.isBlank()) {
                    needed.add(name.strip());
                }
            }
        }
        for (String text : new String[] {t.body(), t.get("check.command"), t.get("goal"), t.get("promptPrefix")}) {
            if (text != null) {
                Matcher m = PLACEHOLDER.matcher(text);
                while (m.find()) {
                    needed.add(m.group(1));
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (String name : needed) {
            Object v = args.get(name);
            if (!BUILT_IN.contains(name) && (v == null || String.valueOf(v).isBlank())) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw StartValidator.invalid("template " + t.name() + " needs " + (missing.size() == 1 ? "the argument "
                    : "the arguments ") + String.join(", ", missing) + ": give them in args (loopwire run --arg "
                    + missing.get(0) + "=VALUE)");
        }
        return args;
    }

    static String render(String text, Map<String, Object> args) {
        return text == null ? null : Templates.render(text, args);
    }

    static String instructions(Template t, Map<String, Object> args) {
        String prefix = render(t.get("promptPrefix"), args);
        return prefix == null || prefix.isBlank() ? t.body() : prefix.strip() + "\n\n" + t.body();
    }

    static int history(Template t, int fallback) throws LoopException {
        Integer h = integer(t, "history");
        if (h != null && h < 0) {
            throw StartValidator.invalid("template " + t.name() + ": history must be 0 or more, got " + h);
        }
        return h == null ? fallback : h;
    }

    static CheckConfig check(CheckConfig given, Template t, Map<String, Object> args) throws LoopException {
        CheckConfig c = given;
        if (c == null && t.get("check.command") != null) {
            c = new CheckConfig(render(t.get("check.command"), args), number(t, "check.timeoutSeconds"),
                    t.get("check.every"));
        }
        if (c == null) {
            return null;
        }
        if (c.command() == null || c.command().isBlank()) {
            throw StartValidator.invalid("check.command is required when check is given: the command that"
                    + " verifies the goal, e.g. \"npm test\"");
        }
        if (c.every() != null && !Set.of("done", "iteration").contains(c.every())) {
            throw StartValidator.invalid("check.every must be done or iteration, got '" + c.every() + "'");
        }
        if (c.timeoutSeconds() != null && !(c.timeoutSeconds() > 0)) {
            throw StartValidator.invalid("check.timeoutSeconds must be more than 0, got " + c.timeoutSeconds());
        }
        return c;
    }

    static JudgeConfig judge(JudgeConfig given, Template t) throws LoopException {
        JudgeConfig j = given;
        if (j == null && t.get("judge.provider") != null) {
            j = new JudgeConfig(new ProviderSpec(t.get("judge.provider"), null, Map.of()));
        }
        if (j != null && (j.provider() == null || j.provider().id() == null || j.provider().id().isBlank())) {
            throw StartValidator.invalid("judge.provider.id is required when judge is given, e.g."
                    + " {\"provider\": {\"id\": \"openai\"}}");
        }
        return j;
    }

    static StopConfig stop(StopConfig given, Template t) throws LoopException {
        StopConfig s = given == null ? new StopConfig(null, null, null) : given;
        FailureStreak f = s.failureStreak() == null ? new FailureStreak(null, null) : s.failureStreak();
        StopConfig out = new StopConfig(
                s.noProgressIterations() != null ? s.noProgressIterations() : integer(t, "stop.noProgressIterations"),
                s.stagnationRepeats() != null ? s.stagnationRepeats() : integer(t, "stop.stagnationRepeats"),
                new FailureStreak(f.identical() != null ? f.identical() : integer(t, "stop.failureStreak.identical"),
                        f.any() != null ? f.any() : integer(t, "stop.failureStreak.any")));
        nonNegative("stop.noProgressIterations", out.noProgressIterations());
        nonNegative("stop.stagnationRepeats", out.stagnationRepeats());
        nonNegative("stop.failureStreak.identical", out.failureStreak().identical());
        nonNegative("stop.failureStreak.any", out.failureStreak().any());
        return out;
    }

    private static void nonNegative(String name, Integer v) throws LoopException {
        if (v != null && v < 0) {
            throw StartValidator.invalid(name + " must be 0 (off) or more, got " + v);
        }
    }

    private static Integer integer(Template t, String key) throws LoopException {
        Double d = number(t, key);
        return d == null ? null : (int) (double) d;
    }

    private static Double number(Template t, String key) throws LoopException {
        String value = t.get(key);
        if (value == null) {
            return null;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw StartValidator.invalid("template " + t.name() + ": " + key + " must be a number, got '" + value + "'");
        }
    }
}
