package dev.loopwire.engine.internal;

import java.nio.file.Path;

/**
 * Told after every durable write to a loop's directory (state replaced, journal line forced,
 * memory written). Crash tests copy the directory here: each copy is what a crash right after
 * that write would leave.
 */
@FunctionalInterface
public interface StoreObserver {

    void written(Path loopDir, String what);

    StoreObserver NONE = (dir, what) -> { };
}
