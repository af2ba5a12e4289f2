package dev.loopwire.providers.anthropic;

import java.util.List;

/** Test access to the models the anthropic factory lists. */
public final class AnthropicModels {

    public static final List<String> LISTED = AnthropicProviderFactory.MODELS;

    private AnthropicModels() {
    }
}
