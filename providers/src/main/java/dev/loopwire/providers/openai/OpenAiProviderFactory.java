package dev.loopwire.providers.openai;

/** Provider id {@code openai}: the OpenAI API ({@code OPENAI_API_KEY}). */
public final class OpenAiProviderFactory extends OpenAiCompatibleFactory {

    public OpenAiProviderFactory() {
        super(OpenAiPreset.OPENAI);
    }
}
