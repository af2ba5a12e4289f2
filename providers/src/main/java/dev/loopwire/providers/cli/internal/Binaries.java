package dev.loopwire.providers.cli.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Finds executables the way a shell would, on the PATH of the environment the child gets. */
public final class Binaries {

    /** Used when the environment has no PATH. */
    public static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    private Binaries() {
    }

    /**
     * The absolute path of {@code binary}: a name is looked up on {@code environment}'s PATH, a
     * path (with a slash) is taken as it is. Empty when it is not an executable file.
     */
    public static Optional<Path> resolve(String binary, Map<String, String> environment) {
        if (binary == null || binary.isBlank()) {
            return Optional.empty();
        }
        try {
            if (binary.contains("/")) {
                Path p = Path.of(binary).toAbsolutePath().normalize();
                return isExecutableFile(p) ? Optional.of(p) : Optional.empty();
            }
            String path = environment == null ? null : environment.get("PATH");
            for (String dir : (path == null ? DEFAULT_PATH : path).split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, binary).toAbsolutePath().normalize();
                if (isExecutableFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean isExecutableFile(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }
}
