package dev.loopwire.protocol;

import java.util.List;

/** What this server offers: its providers and templates. */
public record ServerCapabilities(List<ProviderInfo> providers, List<TemplateInfo> templates) {
}
