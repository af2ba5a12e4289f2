package dev.loopwire.engine.tools;

import java.io.IOException;

/** The notes section of a loop's memory file, as {@code update_memory} sees it. */
public interface MemoryNotes {

    /** Appends {@code text} to the notes (the engine announces {@code loop/memoryChanged}). */
    void appendNote(String text) throws IOException;
}
