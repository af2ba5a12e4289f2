package dev.loopwire.providers.openai;

/**
 * The defaults of one OpenAI-compatible provider id.
 *
 * @param id              the provider id ({@code openai}, {@code ollama}, {@code openrouter})
 * @param baseUrl         default {@code baseUrl}, up to and including {@code /v1}
 * @param apiKeyEnv       default environment variable holding the key, or null for none
 * @param keyRequired     whether the provider is unavailable without a key
 * @param defaultModel    the model when the loop names none
 * @param maxTokensParam  the request field for the output cap ({@code max_completion_tokens} for
 *                        OpenAI itself, {@code max_tokens} for compatible servers)
 * @param local           inference runs locally: its cost is 0 unless the user prices the model
 */
public record OpenAiPreset(
        String id,
        String baseUrl,
        String apiKeyEnv,
        boolean keyRequired,
        String defaultModel,
        String maxTokensParam,
        boolean local) {

    public static final OpenAiPreset OPENAI = new OpenAiPreset("openai", "https://api.openai.com/v1",
            "OPENAI_API_KEY", true, "gpt-4.1-mini", "max_completion_tokens", false);

    public static final OpenAiPreset OLLAMA = new OpenAiPreset("ollama", "http://127.0.0.1:11434/v1",
            null, false, "llama3.2", "max_tokens", true);

    public static final OpenAiPreset OPENROUTER = new OpenAiPreset("openrouter", "https://openrouter.ai/api/v1",
            "OPENROUTER_API_KEY", true, "openai/gpt-4.1-mini", "max_tokens", false);
}
