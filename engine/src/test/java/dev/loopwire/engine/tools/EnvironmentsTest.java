package dev.loopwire.engine.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentsTest {

    private static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/bin");
        env.put("HOME", "/home/me");
        env.put("PWD", "/work");
        env.put("OLDPWD", "/");
        env.put("OPENAI_API_KEY", "sk-a");
        env.put("ANTHROPIC_API_KEY", "sk-ant-b");
        env.put("GEMINI_API_KEY", "g");
        env.put("GITHUB_TOKEN", "ghp_c");
        env.put("AWS_ACCESS_KEY_ID", "AKIA");
        env.put("AWS_SECRET_ACCESS_KEY", "d");
        env.put("my_service_key", "e");
        env.put("Deploy_Token", "f");
        env.put("APP_SECRET", "g");
        env.put("DB_PASSWORD", "h");
        env.put("GCP_CREDENTIALS", "i");
        env.put("TOKENIZERS_PARALLELISM", "false");
        env.put("KEYBOARD_LAYOUT", "us");
        env.put("JAVA_HOME", "/jdk");
        return env;
    }

    @Test
    void scrubRemovesKnownAndPatternNamedSecrets() {
        Map<String, String> scrubbed = Environments.scrub(environment());
        assertEquals(List.of("PATH", "HOME", "PWD", "OLDPWD", "TOKENIZERS_PARALLELISM", "KEYBOARD_LAYOUT", "JAVA_HOME"),
                List.copyOf(scrubbed.keySet()));
    }

    @Test
    void scrubLeavesTheInputAlone() {
        Map<String, String> env = environment();
        Environments.scrub(env);
        assertEquals(environment(), env);
    }

    @Test
    void allowListLetsNamedVariablesThrough() {
        Map<String, String> scrubbed = Environments.scrub(environment(), List.of("github_token", "MY_*"));
        assertEquals("ghp_c", scrubbed.get("GITHUB_TOKEN"));
        assertEquals("e", scrubbed.get("my_service_key"));
        assertFalse(scrubbed.containsKey("OPENAI_API_KEY"));
    }

    @Test
    void namesAreJudgedIgnoringCase() {
        for (String name : List.of("openai_api_key", "x_Token", "NPM_TOKEN", "HF_TOKEN", "PGPASSWORD",
                "SSH_PASSPHRASE", "SERPAPI_APIKEY", "MYSQL_PWD", "TOKEN", "password")) {
            assertTrue(Environments.isSecretName(name), name);
        }
        for (String name : List.of("PATH", "PWD", "KEYS_DIR", "TOKEN_URL", "SECRETARY", "", "LANG")) {
            assertFalse(Environments.isSecretName(name), name);
        }
    }

    @Test
    void nullEnvironmentScrubsToEmpty() {
        assertEquals(Map.of(), Environments.scrub(null));
    }
}
