package dev.loopwire.protocol;


/** Params of {@code templates/list}; {@code workspace} adds that workspace's own templates. */
public record TemplatesListParams(String workspace) {
}
