package dev.loopwire.protocol;


/** A loop template; {@code source} is {@code workspace}, {@code user} or {@code builtin}. */
public record TemplateInfo(String name, String source, String description) {
}
