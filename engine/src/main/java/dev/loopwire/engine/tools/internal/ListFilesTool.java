package dev.loopwire.engine.tools.internal;

import dev.loopwire.engine.tools.PathOutsideWorkspaceException;
import dev.loopwire.engine.tools.ToolContext;
import dev.loopwire.engine.tools.ToolResult;
import dev.loopwire.engine.tools.Workspace;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** {@code list_files {path?, glob?}}: files under a directory, recursive, sorted, capped. */
public final class ListFilesTool extends DirectoryTool {

    /** Entries shown at most. */
    public static final int MAX_SHOWN = 1000;

    private static final String GLOB = "glob";

    public ListFilesTool() {
        super("list_files",
                "List the files under a directory of the workspace, recursively, sorted, one"
                        + " workspace-relative path a line (at most " + MAX_SHOWN + "). Skips .git/ and"
                        + " .loopwire/. Symbolic links are shown as 'link -> target' and not followed.",
                InputSchema.forTool("list_files")
                        .optionalString(PATH, 4096, "Directory to list, relative to the workspace root;"
                                + " omit for the whole workspace.")
                        .optionalString(GLOB, 1000, "Filter, e.g. '*.java' (a glob without '/' matches file"
                                + " names at any depth) or 'src/**/*.ts' (a glob with '/' matches paths"
                                + " relative to the listed directory). Omit to list every file.")
                        .build());
    }

    @Override
    public List<String> validate(Map<String, Object> input) {
        List<String> problems = new ArrayList<>(super.validate(input));
        if (problems.isEmpty()) {
            String glob = InputSchema.string(input, GLOB, "");
            if (!glob.isEmpty()) {
                try {
                    matcher(glob);
                } catch (IllegalArgumentException e) {
                    problems.add("field 'glob': expected a valid glob pattern such as '*.py' or 'src/**/*.ts': "
                            + firstLine(e.getMessage()));
                }
            }
        }
        return problems;
    }

    @Override
    protected ToolResult run(Map<String, Object> input, ToolContext context)
            throws ToolFailure, PathOutsideWorkspaceException, InterruptedException {
        Workspace workspace = context.workspace();
        Path start = start(workspace, InputSchema.string(input, PATH, ""));
        String shownStart = workspace.relativize(start);
        String glob = InputSchema.string(input, GLOB, "");
        GlobFilter filter = glob.isEmpty() ? null : new GlobFilter(glob);
        BasicFileAttributes startAttributes = TextFiles.attributesOrNull(start);
        if (startAttributes != null && !startAttributes.isDirectory()) {
            return ToolResult.ok(describe(workspace, start, startAttributes));
        }
        List<String> lines = new ArrayList<>();
        WorkspaceWalker.Outcome outcome = new WorkspaceWalker(context.cancel()).walk(start, (entry, attributes) -> {
            if (filter == null || filter.matches(start.relativize(entry))) {
                lines.add(describe(workspace, entry, attributes));
            }
            return true;
        });
        Collections.sort(lines);
        StringBuilder out = new StringBuilder();
        if (lines.isEmpty()) {
            out.append(filter == null ? "no files under '" + shownStart + "'"
                    : "no files under '" + shownStart + "' match the glob '" + glob + "'");
        }
        for (int i = 0; i < lines.size() && i < MAX_SHOWN; i++) {
            out.append(lines.get(i)).append('\n');
        }
        if (lines.size() > MAX_SHOWN) {
            out.append("[truncated: showing the first ").append(MAX_SHOWN).append(" of ").append(lines.size())
                    .append(" files; narrow the listing with path or glob]\n");
        }
        if (outcome.entryLimitReached) {
            out.append("[stopped after looking at ").append(WorkspaceWalker.MAX_ENTRIES)
                    .append(" entries; the listing is incomplete, narrow it with path]\n");
        }
        if (outcome.unreadableDirectories > 0) {
            out.append("[").append(outcome.unreadableDirectories).append(" directories could not be read]\n");
        }
        return ToolResult.ok(out.toString().stripTrailing());
    }

    private static String describe(Workspace workspace, Path entry, BasicFileAttributes attributes) {
        String name = workspace.relativize(entry);
        if (attributes.isSymbolicLink()) {
            try {
                return name + " -> " + Files.readSymbolicLink(entry);
            } catch (IOException e) {
                return name + " -> (unreadable link)";
            }
        }
        if (!attributes.isRegularFile()) {
            return name + " (special file)";
        }
        return name;
    }

    private static PathMatcher matcher(String glob) {
        return FileSystems.getDefault().getPathMatcher("glob:" + glob);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** A glob on names (no '/') or on paths relative to the listed directory. */
    private static final class GlobFilter {
        private final boolean onNames;
        private final PathMatcher matcher;
        private final PathMatcher withoutLeadingAnyDirs;

        GlobFilter(String glob) {
            this.onNames = !glob.contains("/");
            this.matcher = matcher(glob);
            this.withoutLeadingAnyDirs = glob.startsWith("**/") ? matcher(glob.substring(3)) : null;
        }

        boolean matches(Path relative) {
            if (onNames) {
                return matcher.matches(relative.getFileName());
            }
            return matcher.matches(relative)
                    || (withoutLeadingAnyDirs != null && withoutLeadingAnyDirs.matches(relative));
        }
    }
}
