package dev.loopwire.protocol;

/**
 * How the last prompt's context was budgeted (tightloop's verbatim window): API providers see
 * the last {@code verbatimIterations} iterations as the conversation, older ones as one-line
 * summaries (at most 50, the rest only in the memory file's progress log); CLI agents and
 * fresh-context loops see none verbatim.
 *
 * @param iteration            the iteration the prompt was built for
 * @param mode                 {@code history} (API provider with a conversation) or {@code fresh}
 * @param verbatimIterations   iterations replayed verbatim in the conversation
 * @param summarizedIterations older iterations given as summaries in the prompt
 * @param omittedIterations    older iterations beyond the summaries (memory file only)
 * @param promptChars          characters of the prompt text
 * @param historyChars         characters of the replayed conversation (messages' text and tool output)
 */
public record ContextBudget(int iteration, String mode, int verbatimIterations, int summarizedIterations,
        int omittedIterations, int promptChars, long historyChars) {
}
