package dev.loopwire.engine.context;

import java.util.Objects;

/**
 * A local skill: a {@code SKILL.md} file under {@code skills/} or {@code .loopwire/skills/}.
 *
 * @param name from the front matter's {@code name:}, else the name of the file's directory
 * @param description from the front matter's {@code description:} (whitespace collapsed, at
 *     most {@value Skills#MAX_DESCRIPTION_CHARS} characters), else empty
 * @param path the file's path relative to the workspace root, {@code /}-separated
 */
public record Skill(String name, String description, String path) {

    /** Validates the components. */
    public Skill {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(path, "path");
    }
}
