package dev.loopwire.protocol;

import java.util.List;

/** A provider and whether it can be used here; {@code detail} says why not or how to enable it. */
public record ProviderInfo(String id, boolean available, String detail, List<String> models) {
}
