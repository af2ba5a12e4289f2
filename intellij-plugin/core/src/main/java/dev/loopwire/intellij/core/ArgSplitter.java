package dev.loopwire.intellij.core;

import java.util.ArrayList;
import java.util.List;

/** Splits an argument string at spaces, keeping single- or double-quoted parts together. */
final class ArgSplitter {

    private ArgSplitter() {
    }

    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        if (line == null) {
            return out;
        }
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean inArg = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inArg = true;
            } else if (Character.isWhitespace(c)) {
                if (inArg) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inArg = false;
                }
            } else {
                cur.append(c);
                inArg = true;
            }
        }
        if (quote != 0) {
            throw new ServerLaunchException("The server arguments have an unclosed " + quote + " quote: " + line);
        }
        if (inArg) {
            out.add(cur.toString());
        }
        return out;
    }
}
