package dev.loopwire.engine.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One loop's directory, {@code <workspace>/.loopwire/loops/<loopId>/}: its files, their
 * durable writes, and the owner lock that keeps two processes from running the same loop.
 */
public final class LoopDir {

    public static final String LOOP_JSON = "loop.json";
    public static final String STATE_JSON = "state.json";
    public static final String JOURNAL = "journal.jsonl";
    public static final String MEMORY = "memory.md";
    public static final String OWNER_LOCK = "owner.lock";

    private final Path dir;
    private final StoreObserver observer;
    private final UnaryOperator<String> redact;
    private Journal journal;
    private FileChannel lockChannel;
    private FileLock lock;
    private boolean stateDirty;
    private boolean memoryDirty;

    public LoopDir(Path dir, StoreObserver observer) {
        this(dir, observer, UnaryOperator.identity());
    }

    /** @param redact applied to every journal line and every {@code state.json} before it is written */
    public LoopDir(Path dir, StoreObserver observer, UnaryOperator<String> redact) {
        this.dir = dir;
        this.observer = observer;
        this.redact = redact;
    }

    public static Path loopsRoot(Path workspace) {
        return workspace.resolve(".loopwire").resolve("loops");
    }

    public Path dir() {
        return dir;
    }

    public Path memoryFile() {
        return dir.resolve(MEMORY);
    }

    public Path journalFile() {
        return dir.resolve(JOURNAL);
    }

    public String loopId() {
        return dir.getFileName().toString();
    }

    /** Writes {@code loop.json} durably, after a commit of everything written before it. */
    public void writeConfig(LoopConfig config) throws IOException {
        commit();
        AtomicFiles.write(dir.resolve(LOOP_JSON), Json.pretty(config));
        observer.written(dir, LOOP_JSON);
    }

    public LoopConfig readConfig() throws IOException {
        return Json.MAPPER.readValue(dir.resolve(LOOP_JSON).toFile(), LoopConfig.class);
    }

    /** Replaces {@code state.json} atomically; durable at the next {@link #commit}. */
    public synchronized void writeState(LoopState state) throws IOException {
        // redacted like the journal: a tool call's input (an approval's subject) may quote a secret;
        // after a restart such a call no longer matches its approval and is asked again
        byte[] json = Json.pretty(state);
        String text = new String(json, StandardCharsets.UTF_8);
        String redacted = redact.apply(text);
        AtomicFiles.write(dir.resolve(STATE_JSON), redacted == text ? json : redacted.getBytes(StandardCharsets.UTF_8),
                false);
        stateDirty = true;
        observer.written(dir, STATE_JSON);
    }

    /**
     * A commit point: makes every write since the last one durable (journal forced, then
     * {@code state.json} and {@code memory.md} forced, then the directory that holds their
     * renames). Until then those writes survive a crash of this process but not a power loss.
     */
    public synchronized void commit() throws IOException {
        if (journal != null) {
            journal.force();
        }
        if (stateDirty || memoryDirty) {
            if (stateDirty) {
                AtomicFiles.force(dir.resolve(STATE_JSON));
            }
            if (memoryDirty) {
                AtomicFiles.force(memoryFile());
            }
            AtomicFiles.syncDirectory(dir);
            stateDirty = false;
            memoryDirty = false;
        }
    }

    public LoopState readState() throws IOException {
        return Json.MAPPER.readValue(dir.resolve(STATE_JSON).toFile(), LoopState.class);
    }

    /** Appends one journal event (written to the OS; forced at the next {@link #commit}). */
    public synchronized void journal(String at, String type, Map<String, ?> fields) throws IOException {
        if (journal == null) {
            journal = Journal.open(journalFile());
        }
        journal.append(at, type, fields, redact);
        observer.written(dir, JOURNAL + ":" + type);
    }

    /** Repairs a torn last journal line; returns the number of bytes cut (0: whole). */
    public synchronized int repairJournal() throws IOException {
        if (journal != null) {
            return 0;
        }
        return Journal.repair(journalFile());
    }

    /** Replaces {@code memory.md} atomically; durable at the next {@link #commit}. */
    public synchronized void writeMemory(String content) throws IOException {
        AtomicFiles.write(memoryFile(), content.getBytes(StandardCharsets.UTF_8), false);
        memoryDirty = true;
        observer.written(dir, MEMORY);
    }

    public String readMemory() throws IOException {
        Path file = memoryFile();
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    /**
     * Takes the owner lock for this process. Returns null when taken, or a description of the
     * holder ("process 1234") when another process (or another engine in this JVM) holds it.
     */
    public synchronized String tryLock() throws IOException {
        if (lock != null) {
            return null;
        }
        Path file = dir.resolve(OWNER_LOCK);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock acquired;
        try {
            acquired = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            channel.close();
            return "process " + ProcessHandle.current().pid() + " (another engine in this process)";
        }
        if (acquired == null) {
            String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
            channel.close();
            return "process " + (holder.isEmpty() ? "(unknown)" : holder);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
        lockChannel = channel;
        lock = acquired;
        return null;
    }

    public synchronized boolean holdsLock() {
        return lock != null;
    }

    public synchronized void unlock() {
        if (lock == null) {
            return;
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // The lock goes with the channel; nothing else to do.
        }
        lock = null;
        lockChannel = null;
    }

    public synchronized void close() {
        try {
            commit();
        } catch (IOException e) {
            // the writes reached the OS; only their durability against a power loss is unconfirmed
        }
        unlock();
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                // closing a forced append-only file loses nothing
            }
            journal = null;
        }
    }
}
