package dev.loopwire.engine.tools;

import static dev.loopwire.engine.tools.ToolTestSupport.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class WriteFileToolTest {

    @TempDir
    Path root;
    ToolTestSupport t;

    @BeforeEach
    void setUp() {
        t = new ToolTestSupport(root);
    }

    @Test
    void createsFileAndParentDirectories() throws Exception {
        ToolResult result = t.ok("write_file", "path", "a/b/c.txt", "content", "hello\nworld\n");
        assertEquals("hello\nworld\n", Files.readString(root.resolve("a/b/c.txt")));
        assertEquals(List.of("a/b/c.txt"), result.changedPaths());
        assertContains(result.output(), "created 'a/b/c.txt'", "12 bytes", "2 lines");
    }

    @Test
    void replacesExistingFileKeepingItsPermissions() throws Exception {
        Path script = root.resolve("run.sh");
        Files.writeString(script, "old");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        ToolResult result = t.ok("write_file", "path", "run.sh", "content", "#!/bin/sh\necho new\n");
        assertContains(result.output(), "replaced 'run.sh'");
        assertEquals("#!/bin/sh\necho new\n", Files.readString(script));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(script)));
    }

    @Test
    void leavesNoTemporaryFilesBehind() throws Exception {
        t.ok("write_file", "path", "x.txt", "content", "1");
        t.ok("write_file", "path", "x.txt", "content", "2");
        try (Stream<Path> files = Files.list(root)) {
            assertEquals(List.of("x.txt"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void writesEmptyContentAndUnicode() throws Exception {
        t.ok("write_file", "path", "empty.txt", "content", "");
        assertEquals(0, Files.size(root.resolve("empty.txt")));
        t.ok("write_file", "path", "u.txt", "content", "naïve 🚀");
        assertEquals("naïve 🚀", Files.readString(root.resolve("u.txt")));
    }

    @Test
    void writesThroughSymlinkInsideToItsTarget() throws Exception {
        Files.writeString(root.resolve("target.txt"), "old");
        Files.createSymbolicLink(root.resolve("alias.txt"), Path.of("target.txt"));
        ToolResult result = t.ok("write_file", "path", "alias.txt", "content", "new");
        assertEquals("new", Files.readString(root.resolve("target.txt")));
        assertTrue(Files.isSymbolicLink(root.resolve("alias.txt")), "the link stays a link");
        assertEquals(List.of("target.txt"), result.changedPaths());
    }

    @Test
    void writesFilesWithTheLongestAllowedName() throws Exception {
        String name = "n".repeat(255);
        t.ok("write_file", "path", name, "content", "x");
        t.ok("write_file", "path", name, "content", "y");
        assertEquals("y", Files.readString(root.resolve(name)));
    }

    @Test
    void refusesDirectoryTargets() throws Exception {
        Files.createDirectories(root.resolve("dir"));
        assertContains(t.error("write_file", "path", "dir", "content", "x").output(), "is a directory");
        assertContains(t.error("write_file", "path", ".", "content", "x").output(), "workspace directory");
    }

    @Test
    void refusesWhenAFileIsInTheWayOfAParent() throws Exception {
        Files.writeString(root.resolve("file"), "x");
        assertContains(t.error("write_file", "path", "file/sub/x.txt", "content", "y").output(), "not a directory");
        assertEquals("x", Files.readString(root.resolve("file")));
    }

    @Test
    void reportsUnwritableDirectoryClearly() throws Exception {
        Path locked = Files.createDirectories(root.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            if (Files.isWritable(locked)) {
                return; // running as root: permissions do not bind, nothing to check
            }
            assertContains(t.error("write_file", "path", "locked/x.txt", "content", "y").output(),
                    "cannot write 'locked/x.txt'");
            assertFalse(Files.exists(locked.resolve("x.txt")));
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
