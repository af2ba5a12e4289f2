package dev.loopwire.engine.internal;

import dev.loopwire.engine.tools.MemoryNotes;
import dev.loopwire.protocol.MemoryChangedParams;
import java.io.IOException;

/**
 * The engine's side of a loop's {@code memory.md}: it reads the file as it is now, notices when
 * someone else changed it, and inserts lines into a section without touching the rest.
 */
final class LoopMemory implements MemoryNotes {

    private final LoopRuntime rt;

    LoopMemory(LoopRuntime rt) {
        this.rt = rt;
    }

    /** The memory file now; announces {@code loop/memoryChanged} when someone else edited it. */
    String readNoticingEdits() throws IOException {
        synchronized (rt) {
            String content = rt.dir.readMemory();
            String sha = Json.sha256(content);
            if (rt.state.memorySha != null && !sha.equals(rt.state.memorySha)) {
                rt.state.memorySha = sha;
                rt.journal("memory_edited", LoopRuntime.fields("by", "someone else", "sha256", sha));
                announce();
            }
            rt.state.memorySha = sha;
            return content;
        }
    }

    /** Inserts {@code line} into {@code section} of the file as it is now, and announces it. */
    void insert(String section, String line, String journalType) throws IOException {
        synchronized (rt) {
            String current = readNoticingEdits();
            String updated = MemoryText.insert(current, section, line);
            rt.dir.writeMemory(updated);
            rt.state.memorySha = Json.sha256(updated);
            rt.persist();
            rt.journal(journalType, LoopRuntime.fields("section", section, "line", line));
            announce();
        }
    }

    /**
     * Writes the progress line of an iteration into the file unless it has it already, without
     * writing state or journal (the caller does, once). Returns the line written, or null.
     */
    String writeProgressLine(int index, String summary) throws IOException {
        synchronized (rt) {
            String current = readNoticingEdits();
            if (MemoryText.hasProgressLine(current, index)) {
                return null;
            }
            String line = MemoryText.progressLine(index, summary);
            String updated = MemoryText.insert(current, MemoryText.PROGRESS, line);
            rt.dir.writeMemory(updated);
            rt.state.memorySha = Json.sha256(updated);
            return line;
        }
    }

    /** Writes the progress line of an iteration unless the file has it already. */
    void ensureProgressLine(int index, String summary) throws IOException {
        synchronized (rt) {
            if (!MemoryText.hasProgressLine(readNoticingEdits(), index)) {
                insert(MemoryText.PROGRESS, MemoryText.progressLine(index, summary), "memory_progress");
            }
        }
    }

    @Override
    public void appendNote(String text) throws IOException {
        String note = text.strip();
        if (!note.startsWith("- ") && !note.startsWith("* ")) {
            note = "- " + note;
        }
        insert(MemoryText.NOTES, note, "memory_note");
    }

    void announce() {
        MemoryChangedParams params = new MemoryChangedParams(rt.loopId(), rt.dir.memoryFile().toString());
        rt.emit(l -> l.onMemoryChanged(params));
    }
}
