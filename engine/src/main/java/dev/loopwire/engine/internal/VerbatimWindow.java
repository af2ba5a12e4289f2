package dev.loopwire.engine.internal;

import dev.loopwire.engine.spi.ChatMessage;
import dev.loopwire.protocol.ContextBudget;
import dev.loopwire.protocol.IterationRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Tightloop's verbatim window for API providers: the conversation keeps the last
 * {@code historyIterations} iterations verbatim ({@code state.history}); every older iteration
 * appears in the prompt as its summary (at most {@value #MAX_SUMMARIES}, newest kept; the rest
 * are in the memory file's progress log). Also the budget report of each prompt.
 */
final class VerbatimWindow {

    static final int MAX_SUMMARIES = 50;

    private VerbatimWindow() {
    }

    /**
     * Summaries of the iterations older than the window, oldest first.
     *
     * @param records  completed iterations, oldest first
     * @param verbatim iterations in the conversation (failed provider calls are not in it)
     */
    static List<String> earlierSummaries(List<IterationRecord> records, int verbatim) {
        int first = records.size();
        int kept = 0;
        while (first > 0 && kept < verbatim) {
            first--;
            if (!"failed".equals(records.get(first).outcome())) {
                kept++;
            }
        }
        List<String> out = new ArrayList<>();
        int from = Math.max(0, first - MAX_SUMMARIES);
        if (from > 0) {
            out.add("... " + from + " older iteration(s): see the progress log of the memory file");
        }
        for (int i = from; i < first; i++) {
            IterationRecord r = records.get(i);
            out.add("#" + r.index() + ": " + r.summary());
        }
        return out;
    }

    static ContextBudget report(int iteration, boolean fresh, int verbatim, int completed, List<String> earlier,
            String prompt, List<ChatMessage> history) {
        long historyChars = 0;
        for (ChatMessage m : history) {
            historyChars += m.text() == null ? 0 : m.text().length();
        }
        int summarized = (int) earlier.stream().filter(l -> l.startsWith("#")).count();
        int shownVerbatim = fresh ? 0 : verbatim;
        int omitted = Math.max(0, completed - shownVerbatim - summarized);
        return new ContextBudget(iteration, fresh ? "fresh" : "history", shownVerbatim, summarized, omitted,
                prompt.length(), historyChars);
    }
}
