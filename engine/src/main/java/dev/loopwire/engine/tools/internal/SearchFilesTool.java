package dev.loopwire.engine.tools.internal;

import dev.loopwire.engine.tools.PathOutsideWorkspaceException;
import dev.loopwire.engine.tools.ToolContext;
import dev.loopwire.engine.tools.ToolResult;
import dev.loopwire.engine.tools.Workspace;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code search_files {pattern, path?}}: a regular expression over the workspace's text files. */
public final class SearchFilesTool extends DirectoryTool {

    /** Matching lines returned at most. */
    public static final int MAX_MATCHES = 200;
    /** Characters of one matching line shown at most. */
    public static final int MAX_LINE_CHARS = 300;
    /** Wall time one search may take, regular expression included. */
    public static final long MAX_SECONDS = 30;

    private static final String PATTERN = "pattern";

    public SearchFilesTool() {
        super("search_files",
                "Search the workspace's text files for a regular expression (Java syntax, e.g."
                        + " 'TODO|FIXME', '(?i)connection refused', 'def \\w+\\('), line by line. Returns"
                        + " 'path:line: text' for each matching line (at most " + MAX_MATCHES + "), in path order."
                        + " Skips .git/, .loopwire/, binary files and files over 10 MB.",
                InputSchema.forTool("search_files")
                        .requiredNonEmpty(PATTERN, 1000, "Regular expression to find in each line (Java syntax).")
                        .optionalString(PATH, 4096, "Directory or file to search, relative to the workspace"
                                + " root; omit for the whole workspace.")
                        .build());
    }

    @Override
    public List<String> validate(Map<String, Object> input) {
        List<String> problems = new ArrayList<>(super.validate(input));
        if (problems.isEmpty()) {
            try {
                Pattern.compile(InputSchema.string(input, PATTERN, ""));
            } catch (PatternSyntaxException e) {
                problems.add("field 'pattern': expected a valid regular expression (Java syntax): "
                        + e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
            }
        }
        return problems;
    }

    @Override
    protected ToolResult run(Map<String, Object> input, ToolContext context)
            throws ToolFailure, PathOutsideWorkspaceException, InterruptedException {
        Workspace workspace = context.workspace();
        Pattern pattern = Pattern.compile(InputSchema.string(input, PATTERN, ""));
        Path start = start(workspace, InputSchema.string(input, PATH, ""));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAX_SECONDS);
        Search search = new Search(workspace, pattern, deadline);
        BasicFileAttributes startAttributes = TextFiles.attributesOrNull(start);
        WorkspaceWalker.Outcome outcome = null;
        try {
            if (startAttributes != null && !startAttributes.isDirectory()) {
                if (!startAttributes.isRegularFile()) {
                    throw new ToolFailure("'" + workspace.relativize(start) + "' is refused: it is not a regular file");
                }
                TextFiles.requireUsableFile(workspace, start, workspace.relativize(start));
                search.file(start, startAttributes);
            } else {
                outcome = new WorkspaceWalker(context.cancel()).walk(start, search::file);
            }
        } catch (DeadlineCharSequence.Expired e) {
            if (Thread.interrupted()) {
                throw new InterruptedException("cancelled");
            }
            search.timedOut = true;
        }
        return ToolResult.ok(search.report(workspace.relativize(start), pattern.pattern(), outcome));
    }

    /** The state of one search. */
    private static final class Search {
        private final Workspace workspace;
        private final Pattern pattern;
        private final long deadline;
        private final HardLinks.Checker links;
        private final StringBuilder out = new StringBuilder();
        private int matches;
        private int filesSearched;
        private int skippedBinaryOrLarge;
        private int skippedRefused;
        private boolean timedOut;
        private boolean capped;

        Search(Workspace workspace, Pattern pattern, long deadline) {
            this.workspace = workspace;
            this.pattern = pattern;
            this.deadline = deadline;
            this.links = HardLinks.census(workspace);
        }

        boolean file(Path file, BasicFileAttributes attributes) {
            if (!attributes.isRegularFile()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted()) {
                throw new DeadlineCharSequence.Expired();
            }
            String shown = workspace.relativize(file);
            if (attributes.size() > TextFiles.MAX_FILE_BYTES) {
                skippedBinaryOrLarge++;
                return true;
            }
            String text;
            try {
                text = TextFiles.readText(workspace, file, shown, links);
            } catch (ToolFailure e) {
                if (e.getMessage().contains("hard links")) {
                    skippedRefused++;
                } else {
                    skippedBinaryOrLarge++;
                }
                return true;
            }
            filesSearched++;
            int lineNumber = 0;
            int lineStart = 0;
            Matcher matcher = pattern.matcher("");
            while (lineStart <= text.length()) {
                int lineEnd = text.indexOf('\n', lineStart);
                if (lineEnd < 0) {
                    lineEnd = text.length();
                    if (lineStart == lineEnd) {
                        break;
                    }
                }
                lineNumber++;
                int contentEnd = lineEnd > lineStart && text.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
                String line = text.substring(lineStart, contentEnd);
                matcher.reset(new DeadlineCharSequence(line, deadline));
                if (matcher.find()) {
                    if (matches == MAX_MATCHES) {
                        capped = true;
                        return false;
                    }
                    matches++;
                    out.append(shown).append(':').append(lineNumber).append(": ").append(shorten(line)).append('\n');
                }
                lineStart = lineEnd + 1;
            }
            return true;
        }

        String report(String where, String regex, WorkspaceWalker.Outcome outcome) {
            StringBuilder report = new StringBuilder(out);
            if (matches == 0) {
                report.append("no matches for /").append(regex).append("/ in '").append(where).append("' (")
                        .append(filesSearched).append(filesSearched == 1 ? " file" : " files").append(" searched)\n");
            }
            if (capped) {
                report.append("[truncated: showing the first ").append(MAX_MATCHES)
                        .append(" matching lines; narrow the search with a more specific pattern or a path]\n");
            }
            if (timedOut) {
                report.append("[stopped after ").append(MAX_SECONDS).append(" s: the results are incomplete;"
                        + " simplify the pattern or narrow the path]\n");
            }
            if (outcome != null && outcome.entryLimitReached) {
                report.append("[stopped after looking at ").append(WorkspaceWalker.MAX_ENTRIES)
                        .append(" entries; narrow the search with path]\n");
            }
            if (skippedBinaryOrLarge > 0) {
                report.append("[skipped ").append(skippedBinaryOrLarge)
                        .append(" binary, non-UTF-8 or over-10-MB files]\n");
            }
            if (skippedRefused > 0) {
                report.append("[skipped ").append(skippedRefused)
                        .append(" hard-linked files whose links are not all inside the workspace]\n");
            }
            return report.toString().stripTrailing();
        }

        private static String shorten(String line) {
            String trimmed = line.strip();
            if (trimmed.length() <= MAX_LINE_CHARS) {
                return trimmed;
            }
            return trimmed.substring(0, MAX_LINE_CHARS) + " ... [line cut, " + trimmed.length() + " characters]";
        }
    }
}
