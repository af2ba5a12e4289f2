package dev.loopwire.intellij;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/** The adapter's UI strings ({@code messages/LoopwireBundle.properties}, also plugin.xml's bundle). */
public final class LoopwireBundle {

    private static final ResourceBundle BUNDLE = ResourceBundle.getBundle("messages.LoopwireBundle");

    private LoopwireBundle() {
    }

    /** The string for {@code key} with {@code {0}}-style arguments filled in. */
    public static String message(String key, Object... params) {
        String pattern = BUNDLE.getString(key);
        return params.length == 0 ? pattern : new MessageFormat(pattern, Locale.ROOT).format(params);
    }
}
