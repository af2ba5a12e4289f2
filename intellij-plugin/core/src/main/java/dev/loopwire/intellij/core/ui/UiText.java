package dev.loopwire.intellij.core.ui;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/** The panels' strings, from {@code LoopwireUi.properties}. */
public final class UiText {

    private static final ResourceBundle BUNDLE = ResourceBundle.getBundle("dev.loopwire.intellij.core.ui.LoopwireUi");

    private UiText() {
    }

    /** The string for {@code key}, with {@code {0}}-style arguments filled in. */
    public static String get(String key, Object... args) {
        String pattern = BUNDLE.getString(key);
        return args.length == 0 ? pattern : new MessageFormat(pattern, Locale.ROOT).format(args);
    }
}
