package dev.loopwire.engine.context.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Unit cases for the pattern dialect; {@code GitignoreConformanceTest} checks them against git. */
class IgnoreRulesTest {

    private static boolean ignored(String rules, String path, boolean dir) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return IgnoreChain.root(IgnoreRules.parse(rules)).isIgnored(path, name, dir);
    }

    @Test
    void wildmatchBasics() {
        assertTrue(Wildmatch.matches("*.c", "a.c"));
        assertFalse(Wildmatch.matches("*.c", "d/a.c"));
        assertTrue(Wildmatch.matches("**/a.c", "a.c"));
        assertTrue(Wildmatch.matches("**/a.c", "x/y/a.c"));
        assertTrue(Wildmatch.matches("x/**/a.c", "x/a.c"));
        assertTrue(Wildmatch.matches("x/**/a.c", "x/y/z/a.c"));
        assertFalse(Wildmatch.matches("x/**/a.c", "xy/a.c"));
        assertTrue(Wildmatch.matches("x/**", "x/y/z"));
        assertFalse(Wildmatch.matches("x/**", "x"));
        assertTrue(Wildmatch.matches("a**b", "axxb"));
        assertFalse(Wildmatch.matches("a**b", "ax/xb"));
        assertTrue(Wildmatch.matches("a*/b", "ab/b"));
        assertTrue(Wildmatch.matches("[a-c]x", "bx"));
        assertFalse(Wildmatch.matches("[!a-c]x", "bx"));
        assertTrue(Wildmatch.matches("[^a-c]x", "dx"));
        assertTrue(Wildmatch.matches("[]]", "]"));
        assertTrue(Wildmatch.matches("[[:digit:]][[:upper:]]", "1A"));
        assertFalse(Wildmatch.matches("[[:bogus:]]", "a"));
        assertFalse(Wildmatch.matches("[abc", "a"));
        assertTrue(Wildmatch.matches("\\*", "*"));
        assertFalse(Wildmatch.matches("\\*", "a"));
        assertFalse(Wildmatch.matches("?", "/"));
        assertFalse(Wildmatch.matches("a[/]b", "a/b"));
    }

    @Test
    void lastMatchingPatternWinsAndNegationReincludes() {
        assertTrue(ignored("*.log\n", "a.log", false));
        assertFalse(ignored("*.log\n!a.log\n", "a.log", false));
        assertTrue(ignored("!a.log\n*.log\n", "a.log", false));
    }

    @Test
    void directoryPatternsAndAnchoring() {
        assertTrue(ignored("build/\n", "x/build", true));
        assertFalse(ignored("build/\n", "x/build", false));
        assertTrue(ignored("/top\n", "top", false));
        assertFalse(ignored("/top\n", "x/top", false));
        assertTrue(ignored("a/b\n", "a/b", false));
        assertFalse(ignored("a/b\n", "x/a/b", false));
    }

    @Test
    void commentsBlankLinesEscapesAndTrailingSpaces() {
        IgnoreRules rules = IgnoreRules.parse("# c\n\n   \n\\#x\n\\!y\nz\\ \nw  \n");
        assertEquals(IgnoreRules.Verdict.IGNORED, rules.check("#x", "#x", false));
        assertEquals(IgnoreRules.Verdict.IGNORED, rules.check("!y", "!y", false));
        assertEquals(IgnoreRules.Verdict.IGNORED, rules.check("z ", "z ", false));
        assertEquals(IgnoreRules.Verdict.NO_OPINION, rules.check("z", "z", false));
        assertEquals(IgnoreRules.Verdict.IGNORED, rules.check("w", "w", false));
        assertEquals(IgnoreRules.Verdict.NO_OPINION, rules.check("# c", "# c", false));
    }

    @Test
    void deeperFilesOverrideShallowerOnes() {
        IgnoreChain chain = IgnoreChain.root(IgnoreRules.parse("*.bak\n"))
                .push("", IgnoreRules.parse("*.log\n"))
                .push("sub", IgnoreRules.parse("!keep.log\n!x.bak\n"));
        assertTrue(chain.isIgnored("sub/a.log", "a.log", false));
        assertFalse(chain.isIgnored("sub/keep.log", "keep.log", false));
        assertFalse(chain.isIgnored("sub/x.bak", "x.bak", false));
        assertTrue(chain.isIgnored("sub/y.bak", "y.bak", false));
    }
}
