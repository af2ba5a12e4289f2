package dev.loopwire.protocol;

import java.util.Map;

/** Which provider a loop uses: {@code {id, model?, options?}}. */
public record ProviderSpec(String id, String model, Map<String, Object> options) {
}
