package dev.loopwire.engine.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scan's idea of which files are visible equals git's ({@code git ls-files --others
 * --exclude-standard} on a repository with an empty index), case by case and on random rule
 * sets. Skipped when git is not installed.
 */
@Timeout(60)
class GitignoreConformanceTest {

    @TempDir
    Path repo;

    @BeforeAll
    static void needsGit() {
        assumeTrue(GitTestSupport.available(), "git is not on PATH");
    }

    private void write(String path, String content) throws IOException {
        Path p = repo.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private void touch(String... paths) throws IOException {
        for (String path : paths) {
            write(path, path);
        }
    }

    private void assertSameAsGit() throws Exception {
        TreeSet<String> expected = GitTestSupport.visibleFiles(repo);
        TreeSet<String> actual = new TreeSet<>(ArtifactScanner.scan(repo, Snapshot.none()).snapshot().paths());
        assertEquals(String.join("\n", expected), String.join("\n", actual));
    }

    @Test
    void handPickedRulesMatchGit() throws Exception {
        GitTestSupport.git(repo, "init", "-q");
        write(".gitignore", String.join("\n",
                "# a comment",
                "*.log",
                "!important.log",
                "build/",
                "/root-only.txt",
                "doc/*.txt",
                "doc/**/*.pdf",
                "**/cache",
                "a/**/z",
                "foo?.c",
                "[abc]x.dat",
                "[!a-c]y.dat",
                "[[:digit:]]n.txt",
                "\\#hash",
                "\\!bang",
                "trailing-space\\ ",
                "spaces.txt   ",
                "logs/**",
                "!logs/keep/",
                "dironly/",
                "nested/deep/",
                "*.o",
                "!/keep.o",
                "star*middle",
                "x/*/y",
                "") + "\n");
        touch("app.log", "important.log", "sub/app.log", "sub/important.log",
                "build/out.class", "src/build/out.class", "build.txt",
                "root-only.txt", "sub/root-only.txt",
                "doc/a.txt", "doc/sub/b.txt", "doc/x.pdf", "doc/p/q/y.pdf", "other/doc/a.txt",
                "cache/c1", "p/cache/c2", "p/cachex/c3", "p/q/cache",
                "a/z", "a/b/z", "a/b/c/z", "a/zz", "b/a/z",
                "foo1.c", "foo12.c", "foo.c", "ax.dat", "dx.dat", "ay.dat", "dy.dat",
                "1n.txt", "xn.txt", "#hash", "!bang", "trailing-space ", "trailing-space",
                "spaces.txt", "logs/a", "logs/keep/b", "logs/keep/c/d",
                "dironly/f", "sub/dironly/f", "dironly-file", "nested/deep/f", "nested/deeper/f",
                "x.o", "keep.o", "sub/keep.o", "starXmiddle", "star/middle",
                "x/a/y", "x/a/b/y", "x/y");
        write("dironly2", "a file named like a directory pattern");
        write("sub/.gitignore", "*.tmp\n!keep.tmp\n/anchored.txt\ndeeper/\n!*.log\n!root-only.txt\n");
        touch("sub/a.tmp", "sub/keep.tmp", "sub/x/keep.tmp", "sub/x/b.tmp", "sub/anchored.txt",
                "sub/x/anchored.txt", "anchored.txt", "sub/deeper/f", "sub/x/deeper/g", "a.tmp");
        write(".git/info/exclude", "excluded-by-info.txt\n*.bak\n");
        write("sub/.gitignore2", "");
        touch("excluded-by-info.txt", "sub/excluded-by-info.txt", "z.bak", "sub/z.bak");
        write("sub2/.gitignore", "!z.bak\n");
        touch("sub2/z.bak", "sub2/y.log");
        assertSameAsGit();
    }

    @Test
    void parentDirectoryExclusionCannotBeUndone() throws Exception {
        GitTestSupport.git(repo, "init", "-q");
        write(".gitignore", "out/\n!out/keep.txt\nlib/*\n!lib/keep/\n");
        touch("out/keep.txt", "out/x.txt", "lib/a.txt", "lib/keep/b.txt", "lib/other/c.txt");
        assertSameAsGit();
        assertTrue(ArtifactScanner.scan(repo, Snapshot.none()).snapshot().paths().contains("lib/keep/b.txt"));
    }

    @Test
    void randomRuleSetsMatchGit() throws Exception {
        int withIgnoredFiles = 0;
        for (int seed = 1; seed <= 30; seed++) {
            Path dir = repo.resolve("r" + seed);
            Files.createDirectories(dir);
            GitTestSupport.git(dir, "init", "-q");
            int total = randomTree(dir, new Random(seed));
            TreeSet<String> expected = GitTestSupport.visibleFiles(dir);
            TreeSet<String> actual = new TreeSet<>(ArtifactScanner.scan(dir, Snapshot.none()).snapshot().paths());
            assertEquals(String.join("\n", expected), String.join("\n", actual), "seed " + seed);
            if (expected.size() < total) {
                withIgnoredFiles++;
            }
        }
        assertTrue(withIgnoredFiles >= 20, "the random rules should ignore something most of the time");
    }

    /** Writes random files and .gitignore files; returns the number of files. */
    private static int randomTree(Path root, Random random) throws IOException {
        String[] dirs = {"", "a", "b", "a/b", "a/c", "b/a", "a/b/c", "ab", "c/a/b"};
        String[] names = {"a", "b", "c", "ab", "ba", "abc", "a.x", "b.x", "a.y", "ab.x", "c.y", "x"};
        int count = 0;
        for (String d : dirs) {
            Files.createDirectories(root.resolve(d.isEmpty() ? "." : d));
        }
        for (String d : dirs) {
            for (String n : names) {
                if (random.nextInt(3) > 0) {
                    Path p = root.resolve(d.isEmpty() ? n + "f" : d + "/" + n + "f");
                    if (!Files.exists(p)) {
                        Files.writeString(p, p.toString());
                        count++;
                    }
                }
            }
        }
        for (String d : new String[] {"", "a", "a/b", "b", "c/a"}) {
            StringBuilder rules = new StringBuilder();
            int n = 2 + random.nextInt(6);
            for (int i = 0; i < n; i++) {
                rules.append(randomPattern(random)).append('\n');
            }
            Path dir = root.resolve(d.isEmpty() ? "." : d);
            if (Files.isDirectory(dir)) {
                Files.writeString(dir.resolve(".gitignore"), rules);
                count++;
            }
        }
        return count;
    }

    private static String randomPattern(Random r) {
        String[] atoms = {"a", "b", "c", "ab", "*", "?", "[ab]", "[!a]", "*.x", "a*", "*b", "**", "x", "af", "*f", "[a-b]*f", "?f"};
        StringBuilder p = new StringBuilder();
        if (r.nextInt(4) == 0) {
            p.append('!');
        }
        if (r.nextInt(4) == 0) {
            p.append('/');
        }
        int segments = 1 + r.nextInt(3);
        for (int i = 0; i < segments; i++) {
            if (i > 0) {
                p.append('/');
            }
            p.append(atoms[r.nextInt(atoms.length)]);
            if (r.nextInt(3) == 0) {
                p.append(atoms[r.nextInt(atoms.length)]);
            }
        }
        if (r.nextInt(4) == 0) {
            p.append('/');
        }
        return p.toString();
    }
}
