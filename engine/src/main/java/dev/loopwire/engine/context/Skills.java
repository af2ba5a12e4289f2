package dev.loopwire.engine.context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Finds the local skills of a workspace: every {@code SKILL.md} under {@code skills/} and
 * {@code .loopwire/skills/} (any depth up to {@value #MAX_DEPTH}; symbolic links to directories
 * are followed, loops are skipped; {@code .git} directories are not entered).
 *
 * <p>A skill's name and description come from the YAML-style front matter at the top of the
 * file, when there is one:
 * <pre>
 * ---
 * name: pdf-tables
 * description: Extract tables from PDF files into CSV.
 * ---
 * </pre>
 * Folded ({@code >}) and literal ({@code |}) descriptions and quoted values are understood;
 * anything else in the front matter is ignored. Without a {@code name:}, the directory's name is
 * used.
 */
public final class Skills {

    /** Where skills are looked for, relative to the workspace root. */
    public static final List<String> ROOTS = List.of("skills", ".loopwire/skills");

    /** Deepest directory level searched below a skills root. */
    public static final int MAX_DEPTH = 8;

    /** At most this many skills are returned (the rest of the tree is not walked). */
    public static final int MAX_SKILLS = 10_000;

    /** Descriptions are cut to this many characters. */
    public static final int MAX_DESCRIPTION_CHARS = 200;

    /** Only the head of each file is read for its front matter. */
    static final int HEAD_BYTES = 8 * 1024;

    private Skills() {
    }

    /** The skills of the workspace at {@code root}, sorted by path; empty when there are none. */
    public static List<Skill> find(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String r : ROOTS) {
            Path dir = root.resolve(r);
            if (Files.isDirectory(dir)) {
                collect(dir, files);
            }
        }
        List<Skill> skills = new ArrayList<>(files.size());
        for (Path f : files) {
            if (skills.size() >= MAX_SKILLS) {
                break;
            }
            skills.add(describe(root, f));
        }
        skills.sort((a, b) -> a.path().compareTo(b.path()));
        return skills;
    }

    private static void collect(Path dir, List<Path> out) throws IOException {
        Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), MAX_DEPTH + 1,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                        return d.getFileName().toString().equals(".git")
                                ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile() && f.getFileName().toString().equals("SKILL.md")) {
                            out.add(f);
                            if (out.size() >= MAX_SKILLS) {
                                return FileVisitResult.TERMINATE;
                            }
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path f, IOException e) {
                        return FileVisitResult.CONTINUE; // unreadable entries and link loops
                    }
                });
    }

    static Skill describe(Path root, Path file) {
        String rel = root.relativize(file).toString().replace('\\', '/');
        Path parent = file.getParent();
        String fallback = parent == null ? "skill" : parent.getFileName().toString();
        String head;
        try (InputStream in = Files.newInputStream(file)) {
            head = new String(in.readNBytes(HEAD_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new Skill(fallback, "", rel);
        }
        String[] fm = FrontMatter.nameAndDescription(head);
        String name = fm[0] == null || fm[0].isBlank() ? fallback : oneLine(fm[0], 100);
        String description = fm[1] == null ? "" : oneLine(fm[1], MAX_DESCRIPTION_CHARS);
        return new Skill(name, description, rel);
    }

    static String oneLine(String s, int max) {
        String t = s.strip().replaceAll("\\s+", " ");
        return t.length() <= max ? t : t.substring(0, max - 1).stripTrailing() + "…";
    }

    /** The two front-matter keys a skill needs; everything else is ignored. */
    static final class FrontMatter {
        private FrontMatter() {
        }

        static String[] nameAndDescription(String text) {
            String[] result = new String[2];
            String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
            String[] lines = t.split("\r?\n", -1);
            if (lines.length == 0 || !lines[0].strip().equals("---")) {
                return result;
            }
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                if (line.strip().equals("---") || line.strip().equals("...")) {
                    return result;
                }
                int colon = line.indexOf(':');
                if (colon <= 0 || Character.isWhitespace(line.charAt(0))) {
                    continue;
                }
                String key = line.substring(0, colon).strip();
                int slot = key.equals("name") ? 0 : key.equals("description") ? 1 : -1;
                if (slot < 0) {
                    continue;
                }
                String value = line.substring(colon + 1).strip();
                if (value.startsWith(">") || value.startsWith("|")) {
                    StringBuilder block = new StringBuilder();
                    while (i + 1 < lines.length && (lines[i + 1].isBlank()
                            || Character.isWhitespace(lines[i + 1].charAt(0)))) {
                        block.append(lines[++i].strip()).append(' ');
                    }
                    value = block.toString();
                } else {
                    value = unquote(value);
                }
                result[slot] = value;
            }
            return new String[2]; // no closing line: not front matter
        }

        private static String unquote(String v) {
            if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"")
                    || v.startsWith("'") && v.endsWith("'"))) {
                String inner = v.substring(1, v.length() - 1);
                return v.charAt(0) == '\'' ? inner.replace("''", "'") : inner.replace("\\\"", "\"");
            }
            return v;
        }
    }
}
