package dev.loopwire.providers.openai;

/** Provider id {@code ollama}: a local Ollama server through its OpenAI-compatible API (no key). */
public final class OllamaProviderFactory extends OpenAiCompatibleFactory {

    public OllamaProviderFactory() {
        super(OpenAiPreset.OLLAMA);
    }
}
