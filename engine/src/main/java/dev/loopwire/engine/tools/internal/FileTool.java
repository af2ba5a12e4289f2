package dev.loopwire.engine.tools.internal;

import dev.loopwire.engine.tools.Workspace;
import java.util.List;
import java.util.Map;

/**
 * A tool on one file named by a required {@code path} field ({@code read_file},
 * {@code write_file}, {@code edit_file}): its subject and touched path are that path. It does
 * not ask for approval by default, except a write into a {@code .git/} directory: hooks and
 * {@code .git/config} can make later git commands run code, so such writes ask a person, and
 * must name {@code .git/} in the path itself (reaching it through a symbolic link is refused).
 */
abstract class FileTool extends BuiltinTool {

    static final String PATH = "path";

    private final boolean writes;

    FileTool(String name, String description, InputSchema schema, boolean writes) {
        super(name, description, schema);
        this.writes = writes;
    }

    /** Whether a path has a {@code .git} name in it (in any case). */
    static boolean inGitDirectory(String path) {
        for (String name : path.split("/")) {
            if (name.equalsIgnoreCase(".git")) { // any case: case-insensitive file systems
                return true;
            }
        }
        return false;
    }

    /**
     * Refuses a write whose resolved path lies in a {@code .git/} directory that the given
     * path does not name (reached through a symbolic link, so that approval rules would not see it).
     */
    static void refuseHiddenGitWrite(String given, String resolved) throws ToolFailure {
        if (inGitDirectory(resolved) && !inGitDirectory(lexicalPath(given))) {
            throw new ToolFailure("'" + given + "' is refused: it leads into '" + resolved + "', inside a .git/"
                    + " directory, through a symbolic link; name the .git/ path directly (such writes ask a person)");
        }
    }

    @Override
    public String subject(Map<String, Object> input) {
        return lexicalPath(InputSchema.string(input, PATH, ""));
    }

    @Override
    public String subject(Map<String, Object> input, Workspace workspace) {
        return workspacePath(InputSchema.string(input, PATH, ""), workspace);
    }

    @Override
    public boolean asksByDefault(Map<String, Object> input) {
        return writes && inGitDirectory(subject(input));
    }

    @Override
    public List<String> touchedPaths(Map<String, Object> input) {
        return List.of(subject(input));
    }

    @Override
    public List<String> touchedPaths(Map<String, Object> input, Workspace workspace) {
        return List.of(subject(input, workspace));
    }
}
