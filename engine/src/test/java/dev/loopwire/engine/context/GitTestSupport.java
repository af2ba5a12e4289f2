package dev.loopwire.engine.context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code git} for conformance tests, isolated from the user's and the system's
 * configuration (no global excludes file), and reports whether git is installed at all.
 */
final class GitTestSupport {

    private GitTestSupport() {
    }

    static boolean available() {
        try {
            Process p = new ProcessBuilder("git", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("git");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve(".no-xdg").toString());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("git " + String.join(" ", args) + " failed");
        }
        return out;
    }

    /** The files git considers untracked and not ignored in a repository with an empty index. */
    static TreeSet<String> visibleFiles(Path repo) throws IOException, InterruptedException {
        String out = git(repo, "ls-files", "--others", "--exclude-standard", "-z");
        TreeSet<String> files = new TreeSet<>();
        for (String s : out.split("\0")) {
            if (!s.isEmpty()) {
                files.add(s);
            }
        }
        return files;
    }
}
