package dev.loopwire.engine.internal.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopwire.engine.internal.AtomicFiles;
import dev.loopwire.engine.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The approval policy files: {@code <workspace>/.loopwire/policy.json} and
 * {@code <userConfigDir>/policy.json}, each {@code {"rules": [{tool, match?, exact?, decision}]}}.
 * {@code tool} is a tool name or {@code *}; {@code match} a glob on the command or path (or, with
 * {@code exact: true}, the exact command or path, as {@code allow_always} saved with scope
 * {@code workspace} writes it); {@code decision} is {@code allow}, {@code ask} or {@code deny}.
 * A missing file has no rules; a malformed one is an error naming the file (never ignored).
 */
public final class PolicyFiles {

    public static final String FILE = "policy.json";
    private static final Set<String> DECISIONS = Set.of("allow", "ask", "deny");
    private static final Set<String> RULE_FIELDS = Set.of("tool", "match", "exact", "decision");

    /** One rule of a policy file. */
    public record PolicyRule(String tool, String match, boolean exact, String decision) {

        public boolean applies(String toolName, String subject) {
            boolean toolMatches = tool == null || "*".equals(tool) || tool.equals(toolName);
            if (!toolMatches) {
                return false;
            }
            if (match == null) {
                return true;
            }
            return exact ? match.equals(subject) : dev.loopwire.engine.internal.Glob.matches(match, subject);
        }
    }

    /** A policy file that cannot be used; the message names the file and what is wrong. */
    public static final class PolicyException extends IOException {
        private static final long serialVersionUID = 1L;

        PolicyException(String message) {
            super(message);
        }
    }

    private PolicyFiles() {
    }

    public static Path workspaceFile(Path workspace) {
        return workspace.resolve(".loopwire").resolve(FILE);
    }

    public static Path userFile(Path userConfigDir) {
        return userConfigDir == null ? null : userConfigDir.resolve(FILE);
    }

    /** The rules of {@code file} in order (none when it does not exist). */
    public static List<PolicyRule> read(Path file) throws PolicyException {
        if (file == null || !Files.isRegularFile(file)) {
            return List.of();
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PolicyException("approval policy " + file + " is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new PolicyException("approval policy " + file + " must be a JSON object {\"rules\": [...]}");
        }
        JsonNode rules = root.get("rules");
        if (rules == null || rules.isNull()) {
            return List.of();
        }
        if (!rules.isArray()) {
            throw new PolicyException("approval policy " + file + ": rules must be an array");
        }
        List<PolicyRule> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            out.add(rule(file, i, rules.get(i)));
        }
        return List.copyOf(out);
    }

    private static PolicyRule rule(Path file, int i, JsonNode node) throws PolicyException {
        String where = "approval policy " + file + ": rules[" + i + "]";
        if (!node.isObject()) {
            throw new PolicyException(where + " must be an object {tool, match?, decision}");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!RULE_FIELDS.contains(name)) {
                throw new PolicyException(where + " has an unknown field '" + name + "' (known: tool, match, exact, decision)");
            }
        }
        String tool = text(node, "tool", where);
        String match = text(node, "match", where);
        String decision = text(node, "decision", where);
        if (tool == null || tool.isBlank()) {
            throw new PolicyException(where + ".tool is required (a tool name or *)");
        }
        if (decision == null || !DECISIONS.contains(decision)) {
            throw new PolicyException(where + ".decision must be allow, ask or deny, got "
                    + (decision == null ? "nothing" : "'" + decision + "'"));
        }
        JsonNode exact = node.get("exact");
        if (exact != null && !exact.isBoolean()) {
            throw new PolicyException(where + ".exact must be true or false");
        }
        return new PolicyRule(tool, match, exact != null && exact.booleanValue(), decision);
    }

    private static String text(JsonNode node, String field, String where) throws PolicyException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new PolicyException(where + "." + field + " must be a string");
        }
        return value.asText();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /**
     * Adds an exact rule at the front of the workspace policy (newest first, so it wins over the
     * file's older rules), keeping every other field and rule of the file as it is.
     */
    public static synchronized void addExact(Path workspace, String tool, String subject, String decision)
            throws IOException {
        Path file = workspaceFile(workspace);
        read(file); // refuses to rewrite a malformed file
        ObjectNode root = Files.isRegularFile(file)
                ? (ObjectNode) Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8))
                : Json.MAPPER.createObjectNode();
        ArrayNode rules = root.has("rules") && root.get("rules").isArray() ? (ArrayNode) root.get("rules")
                : root.putArray("rules");
        ObjectNode rule = Json.MAPPER.createObjectNode();
        rule.put("tool", tool);
        rule.put("match", subject == null ? "" : subject);
        rule.put("exact", true);
        rule.put("decision", decision);
        rules.insert(0, rule);
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, Json.pretty(root));
    }
}
