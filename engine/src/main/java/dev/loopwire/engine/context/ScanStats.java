package dev.loopwire.engine.context;

import java.time.Duration;

/**
 * What a scan did, for traces and benchmarks.
 *
 * @param incremental whether a previous snapshot was used
 * @param directoriesListed directories whose entries were read (new, changed or suspect ones)
 * @param directoriesReused directories whose entry list was taken from the previous snapshot
 *     because their modification time had not changed (their files were stat'ed)
 * @param directoriesTrusted directories taken from the previous snapshot without any stat,
 *     because an {@link ArtifactWatch} saw no event in them
 * @param entriesStatted files and directories whose attributes were read
 * @param filesFingerprinted files whose content was hashed (recently written ones)
 * @param unreadable directories or files that could not be read (kept as they were)
 * @param elapsed wall-clock time of the scan
 */
public record ScanStats(boolean incremental, int directoriesListed, int directoriesReused,
        int directoriesTrusted, int entriesStatted, int filesFingerprinted, int unreadable, Duration elapsed) {
}
