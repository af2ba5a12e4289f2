package dev.loopwire.engine.tools;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of the processes a loop starts. {@link #scrub} returns a copy of an
 * environment without the variables that hold API keys, tokens, secrets, passwords and
 * credentials: the {@link #KNOWN_SECRET_NAMES well-known ones} and every variable whose name
 * ends in {@code _KEY}, {@code _TOKEN}, {@code _SECRET}, {@code _PASSWORD}, {@code _CREDENTIALS}
 * (and a few close spellings, see {@link #isSecretName}), compared ignoring case. A policy may
 * let named variables through with an allow-list.
 */
public final class Environments {

    /** Variables that hold secrets although their names do not all follow the patterns. */
    public static final Set<String> KNOWN_SECRET_NAMES = Set.of(
            "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY",
            "AZURE_OPENAI_API_KEY", "MISTRAL_API_KEY", "GROQ_API_KEY", "DEEPSEEK_API_KEY",
            "OPENROUTER_API_KEY", "XAI_API_KEY", "COHERE_API_KEY", "TOGETHER_API_KEY",
            "GITHUB_TOKEN", "GH_TOKEN", "GITLAB_TOKEN", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN",
            "NPM_TOKEN", "NODE_AUTH_TOKEN", "PYPI_TOKEN", "SLACK_BOT_TOKEN", "SLACK_TOKEN",
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
            "GOOGLE_APPLICATION_CREDENTIALS", "AZURE_CLIENT_SECRET", "DOCKER_PASSWORD",
            "CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_AUTH_TOKEN", "OPENAI_ORG_KEY",
            "PGPASSWORD", "MYSQL_PWD", "REDIS_PASSWORD", "DATABASE_PASSWORD", "SENTRY_AUTH_TOKEN");

    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(_KEY|_TOKEN|_SECRET|_PASSWORD|_CREDENTIALS|_APIKEY|_PASSWD|_PWD|_SECRET_ACCESS_KEY|_PASSPHRASE)"
                    + "|(API_?KEY|SECRET|PASSWORD|TOKEN|CREDENTIALS)");

    private Environments() {
    }

    /** Whether a variable of this name holds a secret. */
    public static boolean isSecretName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        return KNOWN_SECRET_NAMES.contains(name.toUpperCase(Locale.ROOT)) || SECRET_NAME.matcher(name).matches();
    }

    /** A copy of {@code environment} without its secret variables. */
    public static Map<String, String> scrub(Map<String, String> environment) {
        return scrub(environment, List.of());
    }

    /**
     * A copy of {@code environment} without its secret variables, except those named in
     * {@code allowed} (exact names, compared ignoring case; a trailing {@code *} matches any
     * suffix, e.g. {@code "MY_APP_*"}). The iteration order of the input is kept.
     */
    public static Map<String, String> scrub(Map<String, String> environment, Collection<String> allowed) {
        Map<String, String> copy = new LinkedHashMap<>();
        if (environment == null) {
            return copy;
        }
        for (Map.Entry<String, String> entry : environment.entrySet()) {
            String name = entry.getKey();
            if (name == null || entry.getValue() == null) {
                continue;
            }
            if (!isSecretName(name) || isAllowed(name, allowed)) {
                copy.put(name, entry.getValue());
            }
        }
        return copy;
    }

    private static boolean isAllowed(String name, Collection<String> allowed) {
        if (allowed == null) {
            return false;
        }
        for (String rule : allowed) {
            if (rule == null || rule.isEmpty()) {
                continue;
            }
            if (rule.endsWith("*")) {
                String prefix = rule.substring(0, rule.length() - 1);
                if (name.regionMatches(true, 0, prefix, 0, prefix.length())) {
                    return true;
                }
            } else if (name.equalsIgnoreCase(rule)) {
                return true;
            }
        }
        return false;
    }
}
