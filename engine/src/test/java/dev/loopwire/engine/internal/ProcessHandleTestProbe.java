package dev.loopwire.engine.internal;

import dev.loopwire.engine.spi.ProcessProbe;
import java.util.OptionalLong;

/** Test double for the server's process probe: {@link ProcessHandle}, a zombie counts as gone. */
final class ProcessHandleTestProbe implements ProcessProbe {

    @Override
    public boolean isAlive(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException | RuntimeException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    @Override
    public OptionalLong startEpochMillis(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant())
                .map(i -> OptionalLong.of(i.toEpochMilli())).orElse(OptionalLong.empty());
    }
}
