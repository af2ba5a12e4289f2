package dev.loopwire.protocol;

import java.util.List;

/** Result of {@code providers/list}. */
public record ProvidersListResult(List<ProviderInfo> providers) {
}
