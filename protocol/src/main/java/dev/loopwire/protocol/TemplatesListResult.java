package dev.loopwire.protocol;

import java.util.List;

/** Result of {@code templates/list}. */
public record TemplatesListResult(List<TemplateInfo> templates) {
}
