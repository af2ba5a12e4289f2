/**
 * Workspace context for prompts: what changed (artifacts), which local skills exist, and the
 * workspace's {@code AGENTS.md}. No process code, plain {@code java.nio}.
 *
 * <h2>Wiring into the prompt builder</h2>
 * <pre>{@code
 * Path snapshotFile = loopDir.resolve("artifacts.snapshot");   // .loopwire/loops/<id>/
 * // at loop start: an optional watch (close it when the runner stops) and a baseline
 * ArtifactWatch watch = ArtifactWatch.start(workspace).orElse(null);
 * Snapshot cached = Snapshot.read(snapshotFile);                 // never throws
 * if (!cached.isPresent()) {
 *     cached = ArtifactScanner.scan(workspace, Snapshot.none(), cancellation, watch).snapshot();
 *     cached.write(snapshotFile);
 * }
 *
 * // before each iteration's prompt
 * ScanResult scan = ArtifactScanner.scan(workspace, cached, cancellation, watch);
 * cached = scan.snapshot();
 * scan.snapshot().write(snapshotFile);          // atomic; keep it in memory as `cached` too
 * List<String> sections = List.of(
 *         PromptSections.agents(AgentsFile.read(workspace)),       // "" when there is none
 *         PromptSections.skills(Skills.find(workspace)),
 *         PromptSections.artifacts(scan));                         // first 50, then a count
 * // join the non-empty sections with "\n\n"
 * // no-progress policy: scan.changes().isEmpty() && !scan.baseline()
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.loopwire.engine.context.ArtifactScanner}: new, modified and deleted files
 *       since a {@link dev.loopwire.engine.context.Snapshot}, honouring {@code .gitignore}
 *       (root and nested), {@code .git/info/exclude}, never {@code .git/} or {@code .loopwire/};
 *       incremental by directory modification time; see its javadoc for what it can and cannot
 *       see.</li>
 *   <li>{@link dev.loopwire.engine.context.ArtifactWatch}: optional inotify-based accelerator;
 *       directories without events are not even stat'ed.</li>
 *   <li>{@link dev.loopwire.engine.context.Snapshot}: the scan's state, written to a compact,
 *       versioned, checksummed file; a damaged file reads as "no snapshot" with a problem
 *       text.</li>
 *   <li>{@link dev.loopwire.engine.context.Skills}: {@code skills/**}{@code /SKILL.md} and
 *       {@code .loopwire/skills/**}{@code /SKILL.md} with name and description from the front
 *       matter.</li>
 *   <li>{@link dev.loopwire.engine.context.AgentsFile}: {@code AGENTS.md} at the root, capped
 *       with a truncation note.</li>
 *   <li>{@link dev.loopwire.engine.context.PromptSections}: the text each of these puts into a
 *       prompt. Documented with examples in {@code docs/prompt-context.md}.</li>
 * </ul>
 */
package dev.loopwire.engine.context;
