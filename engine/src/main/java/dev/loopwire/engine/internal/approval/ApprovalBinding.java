package dev.loopwire.engine.internal.approval;

import dev.loopwire.engine.internal.Json;
import java.util.Map;

/**
 * What an approval is bound to: the exact action (tool name and canonical input) and the loop's
 * state version when it was asked. An answer applies only to a call with the same digest, and
 * only while the loop's state version has not moved since the question.
 */
public final class ApprovalBinding {

    private ApprovalBinding() {
    }

    /**
     * SHA-256 of the tool name, the canonical JSON of its input and the state version
     * ({@code null}: the digest of an older engine, without a version).
     */
    public static String actionDigest(String tool, Map<String, Object> input, Long stateVersion) {
        String action = tool + "\n" + Json.canonical(input);
        return Json.sha256(stateVersion == null ? action : action + "\n@" + stateVersion);
    }
}
