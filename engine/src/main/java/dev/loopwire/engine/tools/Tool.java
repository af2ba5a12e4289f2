package dev.loopwire.engine.tools;

import dev.loopwire.engine.spi.ToolSpec;
import java.util.List;
import java.util.Map;

/**
 * A built-in tool that API providers' models may call. The engine validates the input, asks the
 * approval gate, then executes. Implementations are stateless and thread-safe.
 */
public interface Tool {

    /** Name, description and input JSON Schema, as given to the model. */
    ToolSpec spec();

    default String name() {
        return spec().name();
    }

    /**
     * Checks {@code input} against the schema and the tool's own rules. Returns one message per
     * problem (empty when valid); each message names the field and says what was expected.
     */
    List<String> validate(Map<String, Object> input);

    /**
     * What approval rules match their glob against: the command for {@code run_command}, the
     * path for file tools, empty for tools without one. Input is already valid.
     */
    String subject(Map<String, Object> input);

    /**
     * The subject as the workspace sees it: file tools resolve the path (symbolic links, an
     * absolute path inside the workspace, {@code a/../b}) to its workspace-relative form, so that
     * rules cannot be sidestepped by spelling a path differently. Prefer this over
     * {@link #subject(Map)} when the workspace is known. Input is already valid.
     */
    default String subject(Map<String, Object> input, Workspace workspace) {
        return subject(input);
    }

    /** Whether, in approval mode {@code ask} with no matching rule, this call asks a person. */
    boolean asksByDefault(Map<String, Object> input);

    /**
     * Workspace-relative paths this call would read or change, for the approval precondition
     * check (empty when none or unknown).
     */
    default List<String> touchedPaths(Map<String, Object> input) {
        return List.of();
    }

    /**
     * {@link #touchedPaths(Map)} resolved against the workspace, as
     * {@link #subject(Map, Workspace)} does.
     */
    default List<String> touchedPaths(Map<String, Object> input, Workspace workspace) {
        return touchedPaths(input);
    }

    /**
     * Runs the call. Errors the model can act on (file not found, path outside the workspace,
     * {@code oldText} not found) come back as {@link ToolResult#error}, not as exceptions.
     *
     * @throws InterruptedException when cancelled while blocking
     */
    ToolResult execute(Map<String, Object> input, ToolContext context) throws InterruptedException;
}
