package dev.loopwire.engine.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class WorkspaceTest {

    @TempDir
    Path root;
    @TempDir
    Path outside;
    Workspace workspace;

    @BeforeEach
    void setUp() throws IOException {
        workspace = new Workspace(root);
    }

    private String refused(String path) {
        PathOutsideWorkspaceException e = assertThrows(PathOutsideWorkspaceException.class,
                () -> workspace.resolve(path), () -> "expected '" + path + "' to be refused");
        return e.getMessage();
    }

    @Test
    void resolvesRelativeAndInsideAbsolutePaths() throws Exception {
        Path real = root.toRealPath();
        assertEquals(real.resolve("a/b.txt"), workspace.resolve("a/b.txt"));
        assertEquals(real.resolve("a/b.txt"), workspace.resolve("./a/../a/b.txt"));
        assertEquals(real.resolve("x"), workspace.resolve(real.resolve("x").toString()));
        assertEquals(real, workspace.resolve(""));
        assertEquals(real, workspace.resolve("."));
        assertEquals("a/b.txt", workspace.relativize(workspace.resolve("a/b.txt")));
        assertEquals(".", workspace.relativize(workspace.resolve(null)));
    }

    @Test
    void refusesDotDotClimbingOut() {
        assertTrue(refused("../x").contains("climbs out"));
        assertTrue(refused("a/../../x").contains("climbs out"));
        refused("..");
    }

    @Test
    void refusesAbsolutePathsElsewhere() {
        assertTrue(refused("/etc/passwd").contains("absolute paths must lie inside the workspace"));
        refused(outside.toString());
    }

    @Test
    void refusesNulCharacter() {
        String message = refused("a\0b");
        assertTrue(message.contains("NUL"), message);
        assertTrue(!message.contains("\0"), "the message must not carry the NUL itself");
    }

    @Test
    void refusesSymlinkedDirectoryLeadingOut() throws IOException {
        Files.createSymbolicLink(root.resolve("out"), outside);
        assertTrue(refused("out/secret.txt").contains("symbolic link"));
        refused("out");
    }

    @Test
    void refusesSymlinkedFileLeadingOut() throws IOException {
        Path target = Files.writeString(outside.resolve("secret.txt"), "s3cret");
        Files.createSymbolicLink(root.resolve("link.txt"), target);
        refused("link.txt");
    }

    @Test
    void refusesDanglingSymlinkLeadingOut() throws IOException {
        Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("not-yet-there"));
        refused("dangling");
    }

    @Test
    void refusesChainOfDanglingSymlinksLeadingOut() throws IOException {
        Files.createSymbolicLink(root.resolve("second"), outside.resolve("made-later"));
        Files.createSymbolicLink(root.resolve("first"), Path.of("second"));
        refused("first");
    }

    @Test
    void refusesDanglingSymlinkThroughSymlinkedParentLeadingOut() throws IOException {
        Files.createSymbolicLink(root.resolve("dir"), outside);
        Files.createSymbolicLink(root.resolve("link"), Path.of("dir/new-file"));
        refused("link");
    }

    @Test
    void refusesRelativeSymlinkClimbingOut() throws IOException {
        Files.createDirectories(root.resolve("a"));
        Files.createSymbolicLink(root.resolve("a/up"), Path.of("../.."));
        refused("a/up/etc/passwd");
    }

    @Test
    void refusesSymlinkLoops() throws IOException {
        Files.createSymbolicLink(root.resolve("loop1"), Path.of("loop2"));
        Files.createSymbolicLink(root.resolve("loop2"), Path.of("loop1"));
        assertTrue(refused("loop1/x").contains("symbolic links"));
    }

    @Test
    void followsSymlinksThatStayInside() throws IOException, PathOutsideWorkspaceException {
        Files.createDirectories(root.resolve("real/dir"));
        Files.createSymbolicLink(root.resolve("alias"), Path.of("real/dir"));
        Files.createSymbolicLink(root.resolve("dangling-inside"), Path.of("real/new.txt"));
        Path real = root.toRealPath();
        assertEquals(real.resolve("real/dir/f.txt"), workspace.resolve("alias/f.txt"));
        assertEquals(real.resolve("real/new.txt"), workspace.resolve("dangling-inside"));
    }

    @Test
    void refusesLoopwireDirectoryHoweverItIsReached() throws IOException {
        Files.createDirectories(root.resolve(".loopwire/loops/x"));
        assertTrue(refused(".loopwire/loops/x/state.json").contains(".loopwire/"));
        refused(".loopwire");
        refused("a/../.loopwire/loops/x/state.json");
        refused(".LOOPWIRE/loops/x/state.json");
        Files.createSymbolicLink(root.resolve("sneaky"), Path.of(".loopwire/loops"));
        refused("sneaky/x/state.json");
        refused(root.resolve(".loopwire/loops/x/journal.jsonl").toString());
    }

    @Test
    void refusesPathsThroughAFile() throws IOException {
        Files.writeString(root.resolve("file.txt"), "x");
        assertTrue(refused("file.txt/inner").contains("not a directory"));
    }
}
