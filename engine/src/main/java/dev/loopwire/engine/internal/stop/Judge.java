package dev.loopwire.engine.internal.stop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.TurnRequest;
import dev.loopwire.engine.spi.TurnResult;
import dev.loopwire.engine.spi.TurnSink;
import dev.loopwire.protocol.ProviderSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The judge (agentic-loop's GoalRunner evaluator): a second provider, without tools, reads the
 * goal and the iteration's result and answers JSON {@code {"satisfied": true|false, "reason":
 * "..."}}. Anything else is not satisfied, with the answer's text recorded as the reason.
 */
public final class Judge {

    public static final String SYSTEM = "You are an independent goal evaluator for an agent loop. You do not run"
            + " tools. You judge whether the goal is reached, from the goal text and the worker agent's result"
            + " of its latest iteration.\nReply with JSON only: {\"satisfied\": true|false, \"reason\": \"...\"}";
    static final int MAX_REASON = 500;
    private static final Pattern OBJECT = Pattern.compile("\\{.*\\}", Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Judge() {
    }

    /** The judge's verdict and what it cost. */
    public record Verdict(boolean satisfied, String reason, TurnResult turn) {
    }

    public static Verdict ask(Provider judge, ProviderSpec spec, String loopId, int iteration, int callIndex,
            String goal, String result, Path workspace, Cancellation cancel)
            throws ProviderException, InterruptedException {
        String prompt = "Goal:\n" + goal.strip() + "\n\nWorker result of iteration " + iteration + ":\n"
                + (result == null || result.isBlank() ? "(no text)" : result.strip())
                + "\n\nIs the goal reached? Answer with the JSON object only.";
        TurnResult turn = judge.turn(new TurnRequest(loopId, iteration, callIndex, SYSTEM, prompt, List.of(), List.of(),
                spec.model(), null, spec.options() == null ? Map.of() : spec.options(), workspace),
                TurnSink.NONE, cancel);
        return parse(turn.text(), turn);
    }

    static Verdict parse(String text, TurnResult turn) {
        String answer = text == null ? "" : text.strip();
        Matcher m = OBJECT.matcher(answer);
        if (m.find()) {
            try {
                JsonNode node = JSON.readTree(m.group());
                JsonNode satisfied = node.get("satisfied");
                if (satisfied != null && satisfied.isBoolean()) {
                    JsonNode reason = node.get("reason");
                    return new Verdict(satisfied.booleanValue(), cap(reason == null ? "" : reason.asText()), turn);
                }
            } catch (java.io.IOException e) {
                // falls through: not satisfied, with the text recorded
            }
        }
        return new Verdict(false, "unparseable judge answer: " + cap(answer.isEmpty() ? "(empty)" : answer), turn);
    }

    private static String cap(String s) {
        return s.length() <= MAX_REASON ? s : s.substring(0, MAX_REASON) + "…";
    }
}
