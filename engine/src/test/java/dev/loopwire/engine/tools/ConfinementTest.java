package dev.loopwire.engine.tools;

import static dev.loopwire.engine.tools.ToolTestSupport.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Attacks on the workspace boundary through every file tool; each is refused and changes nothing. */
@Timeout(20)
class ConfinementTest {

    @TempDir
    Path root;
    @TempDir
    Path outside;
    ToolTestSupport t;
    Path secret;

    @BeforeEach
    void setUp() throws IOException {
        t = new ToolTestSupport(root);
        secret = Files.writeString(outside.resolve("secret.txt"), "outside secret\n");
    }

    /** Every file tool refuses {@code path}, and nothing outside changed. */
    private void allFileToolsRefuse(String path, String why) throws Exception {
        for (ToolResult result : List.of(
                t.error("read_file", "path", path),
                t.error("write_file", "path", path, "content", "pwned"),
                t.error("edit_file", "path", path, "oldText", "outside", "newText", "pwned"),
                t.error("list_files", "path", path),
                t.error("search_files", "pattern", "secret", "path", path))) {
            assertContains(result.output(), why);
            assertFalse(result.output().contains("outside secret"), result.output());
            assertTrue(result.changedPaths().isEmpty());
        }
        assertEquals("outside secret\n", Files.readString(secret));
    }

    @Test
    void dotDotIsRefused() throws Exception {
        allFileToolsRefuse("../" + outside.getFileName() + "/secret.txt", "climbs out");
        allFileToolsRefuse("a/../../x", "climbs out");
    }

    @Test
    void absolutePathElsewhereIsRefused() throws Exception {
        allFileToolsRefuse("/etc/passwd", "must lie inside the workspace");
        allFileToolsRefuse(secret.toString(), "must lie inside the workspace");
    }

    @Test
    void symlinkedDirectoryLeadingOutIsRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("tmpdir"), outside);
        allFileToolsRefuse("tmpdir/secret.txt", "symbolic link");
        allFileToolsRefuse("tmpdir/new.txt", "symbolic link");
        assertFalse(Files.exists(outside.resolve("new.txt")));
    }

    @Test
    void symlinkedFileLeadingOutIsRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("link.txt"), secret);
        allFileToolsRefuse("link.txt", "symbolic link");
    }

    @Test
    void danglingSymlinkLeadingOutIsRefused() throws Exception {
        Path later = outside.resolve("created-by-write.txt");
        Files.createSymbolicLink(root.resolve("dangling.txt"), later);
        allFileToolsRefuse("dangling.txt", "symbolic link");
        assertFalse(Files.exists(later), "write_file must not create the file outside");
    }

    @Test
    void hardLinkToOutsideFileIsRefused() throws Exception {
        Files.createLink(root.resolve("hard.txt"), secret);
        for (ToolResult result : List.of(
                t.error("read_file", "path", "hard.txt"),
                t.error("write_file", "path", "hard.txt", "content", "pwned"),
                t.error("edit_file", "path", "hard.txt", "oldText", "outside", "newText", "pwned"))) {
            assertContains(result.output(), "hard links");
            assertFalse(result.output().contains("outside secret"));
        }
        ToolResult search = t.ok("search_files", "pattern", "secret");
        assertFalse(search.output().contains("outside secret"), search.output());
        assertContains(search.output(), "skipped 1 hard-linked file");
        assertEquals("outside secret\n", Files.readString(secret));
    }

    @Test
    void hardLinksThatAreAllInsideAreAllowed() throws Exception {
        Files.writeString(root.resolve("a.txt"), "shared\n");
        Files.createDirectories(root.resolve("sub"));
        Files.createLink(root.resolve("sub/b.txt"), root.resolve("a.txt"));
        assertEquals("shared\n", t.ok("read_file", "path", "sub/b.txt").output());
        t.ok("edit_file", "path", "a.txt", "oldText", "shared", "newText", "edited");
        assertEquals("edited\n", Files.readString(root.resolve("a.txt")));
    }

    @Test
    void searchFindsTextInHardLinksThatAreAllInside() throws Exception {
        Files.writeString(root.resolve("a.txt"), "needle\n");
        Files.createLink(root.resolve("b.txt"), root.resolve("a.txt"));
        Files.createLink(root.resolve("c.txt"), secret);
        assertEquals(List.of("a.txt:1: needle", "b.txt:1: needle", "[skipped 1 hard-linked files whose links are"
                + " not all inside the workspace]"), ToolTestSupport.lines(t.ok("search_files", "pattern", "needle|secret")
                .output()));
    }

    @Test
    void writesIntoGitAskAndMustNameGitDirectly() throws Exception {
        Files.createDirectories(root.resolve(".git/hooks"));
        Tool write = ToolTestSupport.tool("write_file");
        Tool edit = ToolTestSupport.tool("edit_file");
        assertTrue(write.asksByDefault(ToolTestSupport.input("path", ".git/hooks/pre-commit", "content", "x")));
        assertTrue(edit.asksByDefault(ToolTestSupport.input("path", "sub/.git/config", "oldText", "a", "newText", "b")));
        assertFalse(write.asksByDefault(ToolTestSupport.input("path", "src/git.txt", "content", "x")));
        assertTrue(write.asksByDefault(ToolTestSupport.input("path", "x/../.GIT/config", "content", "x")));
        assertFalse(ToolTestSupport.tool("read_file").asksByDefault(ToolTestSupport.input("path", ".git/config")));
        Files.createSymbolicLink(root.resolve("hooks"), Path.of(".git/hooks"));
        assertContains(t.error("write_file", "path", "hooks/pre-commit", "content", "#!/bin/sh\nrm -rf ~\n").output(),
                "inside a .git/ directory, through a symbolic link");
        assertFalse(Files.exists(root.resolve(".git/hooks/pre-commit")));
        t.ok("write_file", "path", ".git/hooks/pre-commit", "content", "#!/bin/sh\n");
    }

    @Test
    void fifoIsRefused() throws Exception {
        Path fifo = root.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        for (ToolResult result : List.of(
                t.error("read_file", "path", "pipe"),
                t.error("write_file", "path", "pipe", "content", "x"),
                t.error("edit_file", "path", "pipe", "oldText", "a", "newText", "b"))) {
            assertContains(result.output(), "not a regular file");
        }
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo), "the FIFO is still there, untouched");
        assertContains(t.ok("list_files").output(), "pipe (special file)");
        assertContains(t.ok("search_files", "pattern", "x").output(), "no matches");
    }

    @Test
    void socketIsRefused() throws Exception {
        Path socket = root.resolve("sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            assertContains(t.error("read_file", "path", "sock").output(), "not a regular file");
            assertContains(t.error("write_file", "path", "sock", "content", "x").output(), "not a regular file");
        }
    }

    @Test
    void deviceNodeInsideIsRefused() throws Exception {
        Process mknod = new ProcessBuilder("mknod", root.resolve("zero").toString(), "c", "1", "5")
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(mknod.waitFor() == 0, "mknod needs CAP_MKNOD (root); not available here");
        assertContains(t.error("read_file", "path", "zero").output(), "not a regular file");
        assertContains(t.error("write_file", "path", "zero", "content", "x").output(), "not a regular file");
        assertContains(t.error("edit_file", "path", "zero", "oldText", "a", "newText", "b").output(),
                "not a regular file");
        assertContains(t.ok("search_files", "pattern", "x").output(), "no matches");
    }

    @Test
    void deviceFileIsRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("null"), Path.of("/dev/null"));
        assertContains(t.error("read_file", "path", "null").output(), "symbolic link");
        assertContains(t.error("read_file", "path", "/dev/zero").output(), "must lie inside the workspace");
    }

    @Test
    void loopwireDirectoryIsRefused() throws Exception {
        Path state = root.resolve(".loopwire/loops/x/state.json");
        Files.createDirectories(state.getParent());
        Files.writeString(state, "{\"status\":\"running\"}");
        allFileToolsRefuse(".loopwire/loops/x/state.json", ".loopwire/");
        assertEquals("{\"status\":\"running\"}", Files.readString(state));
        assertFalse(t.ok("list_files").output().contains(".loopwire"));
        assertContains(t.ok("search_files", "pattern", "running").output(), "no matches");
    }

    @Test
    void nulInPathIsRefused() throws Exception {
        allFileToolsRefuse("a\0/../../etc/passwd", "NUL");
    }

    @Test
    void refusedPathsReportNoChangedPaths() throws Exception {
        ToolResult result = t.error("write_file", "path", "../escape.txt", "content", "x");
        assertTrue(result.changedPaths().isEmpty());
        assertFalse(Files.exists(root.getParent().resolve("escape.txt")));
    }
}
