package dev.loopwire.engine.tools;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test double for {@link MemoryNotes} that keeps every note, or fails when told to. */
final class RecordingMemoryNotes implements MemoryNotes {

    final List<String> notes = new CopyOnWriteArrayList<>();
    volatile IOException failWith;

    @Override
    public void appendNote(String text) throws IOException {
        if (failWith != null) {
            throw failWith;
        }
        notes.add(text);
    }
}
