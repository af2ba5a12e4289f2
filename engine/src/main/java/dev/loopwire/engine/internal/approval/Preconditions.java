package dev.loopwire.engine.internal.approval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The premise of an approval: what the files an action touches looked like when the person was
 * asked (size, modification time and SHA-256 of each, or {@code absent}). When it differs at the
 * answer, the answer is for a workspace that no longer exists and the action is asked again.
 */
public final class Preconditions {

    /** Files up to this size are hashed; larger ones are compared by size and time only. */
    static final long HASH_LIMIT = 16L * 1024 * 1024;

    private Preconditions() {
    }

    /** Workspace-relative path to its fingerprint, in the given order. */
    public static Map<String, String> fingerprint(Path workspace, List<String> paths) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String path : paths) {
            out.put(path, of(workspace.resolve(path)));
        }
        return out;
    }

    /** The paths whose fingerprint differs from {@code recorded} now (empty: the premise holds). */
    public static List<String> changed(Path workspace, Map<String, String> recorded) {
        if (recorded == null || recorded.isEmpty()) {
            return List.of();
        }
        return recorded.entrySet().stream()
                .filter(e -> !e.getValue().equals(of(workspace.resolve(e.getKey()))))
                .map(Map.Entry::getKey).toList();
    }

    static String of(Path file) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String base = (attrs.isDirectory() ? "dir" : attrs.isSymbolicLink() ? "link" : "file")
                    + ":" + attrs.size() + ":" + attrs.lastModifiedTime().toMillis();
            if (!attrs.isRegularFile() || attrs.size() > HASH_LIMIT) {
                return base;
            }
            return base + ":" + sha256(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return "absent";
        } catch (IOException e) {
            return "unreadable";
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
