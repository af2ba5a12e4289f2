package dev.loopwire.engine.spi;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a provider may know about where it runs.
 *
 * @param workspace     the loop's workspace (null when only describing)
 * @param environment   environment variables (API keys are read from here, never logged)
 * @param userConfigDir {@code ~/.config/loopwire}
 * @param processes     where CLI providers record the processes they start (PID tracking)
 */
public record ProviderContext(
        Path workspace,
        Map<String, String> environment,
        Path userConfigDir,
        ProcessTracker processes) {
}
