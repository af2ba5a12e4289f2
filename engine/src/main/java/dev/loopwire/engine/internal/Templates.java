package dev.loopwire.engine.internal;

import dev.loopwire.protocol.TemplateInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds templates: {@code <workspace>/.loopwire/templates/*.md}, then
 * {@code <userConfigDir>/templates/*.md}, then the built-ins in this jar. The first of a name wins.
 */
public final class Templates {

    private static final String BUILTIN_DIR = "/dev/loopwire/engine/templates/";

    private final Path userConfigDir;

    public Templates(Path userConfigDir) {
        this.userConfigDir = userConfigDir;
    }

    public List<TemplateInfo> list(Path workspace) {
        Map<String, TemplateInfo> byName = new LinkedHashMap<>();
        for (Template t : all(workspace)) {
            byName.putIfAbsent(t.name(), new TemplateInfo(t.name(), t.source(), t.description()));
        }
        return new ArrayList<>(byName.values());
    }

    public Optional<Template> find(String name, Path workspace) {
        return all(workspace).stream().filter(t -> t.name().equals(name)).findFirst();
    }

    private List<Template> all(Path workspace) {
        List<Template> all = new ArrayList<>();
        if (workspace != null) {
            all.addAll(fromDir(workspace.resolve(".loopwire").resolve("templates"), "workspace"));
        }
        if (userConfigDir != null) {
            all.addAll(fromDir(userConfigDir.resolve("templates"), "user"));
        }
        all.addAll(builtins());
        return all;
    }

    private static List<Template> fromDir(Path dir, String source) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Template> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
                String fallback = file.getFileName().toString().replaceFirst("\\.md$", "");
                try {
                    found.add(parse(Files.readString(file, StandardCharsets.UTF_8), fallback, source));
                } catch (IOException e) {
                    // An unreadable template is skipped; the others stay usable.
                }
            }
        } catch (IOException e) {
            return found;
        }
        return found;
    }

    static List<Template> builtins() {
        List<Template> found = new ArrayList<>();
        String index = resource("index.txt");
        for (String name : index.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            found.add(parse(resource(name + ".md"), name, "builtin"));
        }
        return found;
    }

    private static String resource(String name) {
        try (InputStream in = Templates.class.getResourceAsStream(BUILTIN_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("built-in template resource missing: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses front matter between {@code ---} lines: {@code key: value} pairs, one level of
     * nesting by indentation ({@code budget:} then {@code   maxIterations: 20} becomes
     * {@code budget.maxIterations}). Quotes around values are removed.
     */
    public static Template parse(String text, String fallbackName, String source) {
        Map<String, String> meta = new LinkedHashMap<>();
        String body = text;
        List<String> lines = text.lines().toList();
        if (!lines.isEmpty() && lines.get(0).strip().equals("---")) {
            int end = -1;
            for (int i = 1; i < lines.size(); i++) {
                if (lines.get(i).strip().equals("---")) {
                    end = i;
                    break;
                }
            }
            if (end > 0) {
                String parent = null;
                for (String line : lines.subList(1, end)) {
                    if (line.isBlank() || line.strip().startsWith("#")) {
                        continue;
                    }
                    int colon = line.indexOf(':');
                    if (colon < 0) {
                        continue;
                    }
                    String key = line.substring(0, colon).strip();
                    String value = unquote(line.substring(colon + 1).strip());
                    boolean indented = Character.isWhitespace(line.charAt(0));
                    if (!indented) {
                        parent = value.isEmpty() ? key : null;
                        if (!value.isEmpty()) {
                            meta.put(key, value);
                        }
                    } else if (parent != null) {
                        meta.put(parent + "." + key, value);
                    }
                }
                body = String.join("\n", lines.subList(end + 1, lines.size())).strip() + "\n";
            }
        }
        String name = meta.getOrDefault("name", fallbackName);
        String description = meta.getOrDefault("description", "");
        return new Template(name, source, description, Map.copyOf(meta), body);
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** Replaces {@code {{key}}} with {@code values.get(key)}; unknown keys stay as they are. */
    public static String render(String body, Map<String, ?> values) {
        String out = body;
        for (Map.Entry<String, ?> e : values.entrySet()) {
            out = out.replace("{{" + e.getKey() + "}}", String.valueOf(e.getValue()));
        }
        return out;
    }
}
