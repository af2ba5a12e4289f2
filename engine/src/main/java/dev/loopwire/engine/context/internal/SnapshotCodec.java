package dev.loopwire.engine.context.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The snapshot file format, version 1 (all integers big-endian; "varint" is LEB128):
 * <pre>
 * magic "LWSNAP" u8 version(=1)
 * i64 scanMillis, i64 excludeHash, varint directoryCount
 * per directory: str path, i64 mtimeNanos, i64 ignoreHash,
 *                varint fileCount, per file: str name, varint size, i64 mtimeNanos, i64 fingerprint
 *                varint dirCount, per subdirectory: str name
 * u32 CRC32C of everything before it
 * </pre>
 * where {@code str} is a varint byte length followed by UTF-8. Written to a temporary file and
 * renamed over the target, so a reader sees the old or the new file, never half of one.
 */
public final class SnapshotCodec {

    /** The format version this code writes. */
    public static final int VERSION = 1;

    private static final byte[] MAGIC = "LWSNAP".getBytes(StandardCharsets.US_ASCII);

    private SnapshotCodec() {
    }

    /** Writes {@code tree} to {@code file} atomically, creating parent directories. */
    public static void write(Tree tree, Path file) throws IOException {
        Out out = new Out(64 + tree.fileCount() * 32);
        out.bytes(MAGIC);
        out.u8(VERSION);
        out.i64(tree.scanMillis);
        out.i64(tree.excludeHash);
        List<String> keys = new ArrayList<>(tree.dirs.keySet());
        keys.sort(null);
        out.varint(keys.size());
        for (String key : keys) {
            DirRecord d = tree.dirs.get(key);
            out.str(key);
            out.i64(d.mtime);
            out.i64(d.ignoreHash);
            out.varint(d.files.length);
            for (int i = 0; i < d.files.length; i++) {
                out.str(d.files[i]);
                out.varint(d.sizes[i]);
                out.i64(d.mtimes[i]);
                out.i64(d.fingerprints[i]);
            }
            out.varint(d.dirs.length);
            for (String s : d.dirs) {
                out.str(s);
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(out.buf, 0, out.len);
        out.u32(crc.getValue());

        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, Arrays.copyOf(out.buf, out.len));
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Decodes a snapshot file's bytes.
     *
     * @throws IOException with a message a person can read when the bytes are not a valid
     *     snapshot of a supported version
     */
    public static Tree decode(byte[] data) throws IOException {
        if (data.length < MAGIC.length + 1 + 4 || !Arrays.equals(Arrays.copyOf(data, MAGIC.length), MAGIC)) {
            throw new IOException("not a Loopwire snapshot file");
        }
        int version = data[MAGIC.length] & 0xff;
        if (version != VERSION) {
            throw new IOException("unsupported snapshot version " + version + " (this build reads " + VERSION + ")");
        }
        int body = data.length - 4;
        CRC32C crc = new CRC32C();
        crc.update(data, 0, body);
        In in = new In(data, body);
        in.pos = MAGIC.length + 1;
        if (in.u32At(body) != crc.getValue()) {
            throw new IOException("snapshot checksum mismatch (truncated or damaged file)");
        }
        try {
            long scanMillis = in.i64();
            long excludeHash = in.i64();
            int nd = in.count();
            Map<String, DirRecord> dirs = new HashMap<>(nd * 4 / 3 + 16);
            for (int k = 0; k < nd; k++) {
                String key = in.str();
                long mtime = in.i64();
                long ignoreHash = in.i64();
                int nf = in.count();
                String[] files = new String[nf];
                long[] sizes = new long[nf];
                long[] mtimes = new long[nf];
                long[] fps = new long[nf];
                for (int i = 0; i < nf; i++) {
                    files[i] = in.str();
                    sizes[i] = in.varint();
                    mtimes[i] = in.i64();
                    fps[i] = in.i64();
                }
                int ns = in.count();
                String[] subs = new String[ns];
                for (int i = 0; i < ns; i++) {
                    subs[i] = in.str();
                }
                dirs.put(key, new DirRecord(mtime, ignoreHash, files, sizes, mtimes, fps, subs));
            }
            if (in.pos != body) {
                throw new IOException("snapshot has trailing bytes");
            }
            if (!dirs.containsKey("")) {
                throw new IOException("snapshot has no root directory");
            }
            return new Tree(scanMillis, excludeHash, dirs);
        } catch (IndexOutOfBoundsException e) {
            throw new IOException("snapshot ends early");
        }
    }

    private static final class Out {
        byte[] buf;
        int len;

        Out(int capacity) {
            buf = new byte[Math.max(capacity, 256)];
        }

        private void ensure(int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        void bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        void u8(int v) {
            ensure(1);
            buf[len++] = (byte) v;
        }

        void u32(long v) {
            for (int s = 24; s >= 0; s -= 8) {
                u8((int) (v >>> s));
            }
        }

        void i64(long v) {
            ensure(8);
            for (int s = 56; s >= 0; s -= 8) {
                buf[len++] = (byte) (v >>> s);
            }
        }

        void varint(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
        }

        void str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length);
            bytes(b);
        }
    }

    private static final class In {
        final byte[] data;
        final int end;
        int pos;

        In(byte[] data, int end) {
            this.data = data;
            this.end = end;
        }

        private int u8() {
            if (pos >= end) {
                throw new IndexOutOfBoundsException();
            }
            return data[pos++] & 0xff;
        }

        long u32At(int at) {
            long v = 0;
            for (int i = 0; i < 4; i++) {
                v = (v << 8) | (data[at + i] & 0xff);
            }
            return v;
        }

        long i64() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | u8();
            }
            return v;
        }

        long varint() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = u8();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IOException("snapshot has a malformed number");
        }

        int count() throws IOException {
            long v = varint();
            if (v < 0 || v > end - pos) {
                throw new IOException("snapshot has an impossible count");
            }
            return (int) v;
        }

        String str() throws IOException {
            int n = count();
            String s = new String(data, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }
    }
}
