package dev.loopwire.providers.openai;

/** Provider id {@code openrouter}: OpenRouter ({@code OPENROUTER_API_KEY}). */
public final class OpenRouterProviderFactory extends OpenAiCompatibleFactory {

    public OpenRouterProviderFactory() {
        super(OpenAiPreset.OPENROUTER);
    }
}
