package dev.loopwire.engine.spi;

import java.nio.file.Path;
import java.util.Map;

/**
 * A shell command to run.
 *
 * @param command        run with {@code /bin/sh -c}
 * @param workingDir     the directory (the workspace)
 * @param environment    the complete environment of the process (already scrubbed of secrets)
 * @param timeoutSeconds after this the tree is killed
 * @param maxOutputChars stdout and stderr together are capped at this (head and tail kept)
 */
public record CommandSpec(
        String command,
        Path workingDir,
        Map<String, String> environment,
        double timeoutSeconds,
        int maxOutputChars) {
}
