package dev.loopwire.engine.context.internal;

/**
 * The ignore rules in force inside one directory: its own {@code .gitignore}, then its
 * ancestors' (nearest first), then {@code .git/info/exclude}. The first file with an opinion
 * decides, as in git. Paths below an ignored directory are never asked about: the scan does not
 * enter ignored directories, so (as in git) a negation cannot re-include them.
 */
public final class IgnoreChain {

    /** No rules at all. */
    public static final IgnoreChain EMPTY = new IgnoreChain(null, "", null);

    private final IgnoreRules rules;
    private final String base;
    private final IgnoreChain parent;

    private IgnoreChain(IgnoreRules rules, String base, IgnoreChain parent) {
        this.rules = rules;
        this.base = base;
        this.parent = parent;
    }

    /** Rules that apply from the workspace root down, weaker than any {@code .gitignore}. */
    public static IgnoreChain root(IgnoreRules excludeRules) {
        return excludeRules == null || excludeRules.isEmpty()
                ? EMPTY : new IgnoreChain(excludeRules, "", null);
    }

    /** This chain with the rules of the {@code .gitignore} in {@code directory} on top. */
    public IgnoreChain push(String directory, IgnoreRules gitignore) {
        if (gitignore == null || gitignore.isEmpty()) {
            return this;
        }
        return new IgnoreChain(gitignore, directory, this);
    }

    /**
     * Whether the entry at {@code path} (relative to the workspace root, {@code /}-separated) is
     * ignored.
     */
    public boolean isIgnored(String path, String name, boolean directory) {
        for (IgnoreChain c = this; c != null && c.rules != null; c = c.parent) {
            String relative = c.base.isEmpty() ? path : path.substring(c.base.length() + 1);
            IgnoreRules.Verdict v = c.rules.check(relative, name, directory);
            if (v != IgnoreRules.Verdict.NO_OPINION) {
                return v == IgnoreRules.Verdict.IGNORED;
            }
        }
        return false;
    }
}
