package dev.loopwire.server.internal;

import dev.loopwire.engine.tools.Redactor;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * The server log's formatter: {@link SimpleFormatter}'s lines (stack traces included) with every
 * secret of the server's environment and every known key format replaced by
 * {@value Redactor#REPLACEMENT}, whatever a log call was handed.
 */
public final class RedactingLogFormatter extends Formatter {

    private final Formatter lines = new SimpleFormatter();

    @Override
    public String format(LogRecord record) {
        return Rpc.redact(lines.format(record));
    }
}
