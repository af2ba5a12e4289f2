package dev.loopwire.engine.context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a workspace-like tree for {@link ArtifactScanBench}: {@code files} visible files, 100
 * to a directory, three levels deep, with a root and a nested {@code .gitignore} and ignored
 * {@code build/}, {@code node_modules/} and {@code *.log} files on top. The two
 * {@code .gitignore} files are visible too but not returned (they are never touched).
 */
public final class BenchTree {

    private BenchTree() {
    }

    /** Builds the tree and returns the visible files. */
    public static List<Path> build(Path root, int files) throws IOException {
        Files.writeString(root.resolve(".gitignore"), "build/\nnode_modules/\n*.log\n/tmp\n");
        List<Path> visible = new ArrayList<>(files);
        int perDir = 100;
        int dirs = (files + perDir - 1) / perDir;
        for (int d = 0; d < dirs; d++) {
            Path dir = root.resolve("src").resolve("m" + (d / 100)).resolve("p" + d);
            Files.createDirectories(dir);
            for (int f = 0; f < perDir && visible.size() < files; f++) {
                Path p = dir.resolve("File" + f + ".java");
                Files.writeString(p, "class File" + f + " { int d = " + d + "; }\n", StandardCharsets.UTF_8);
                visible.add(p);
            }
            if (d % 100 == 0) {
                Files.writeString(dir.resolve("debug.log"), "ignored\n");
            }
        }
        Path nested = root.resolve("src/m0");
        Files.writeString(nested.resolve(".gitignore"), "*.tmp\n!keep.tmp\n");
        Files.writeString(nested.resolve("scratch.tmp"), "ignored\n");
        for (String ignored : List.of("build/classes", "node_modules/lib", "tmp")) {
            Path dir = root.resolve(ignored);
            Files.createDirectories(dir);
            for (int i = 0; i < 2_000; i++) {
                Files.writeString(dir.resolve("x" + i + ".bin"), "ignored " + i);
            }
        }
        return visible;
    }
}
