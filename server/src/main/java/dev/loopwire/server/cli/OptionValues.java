package dev.loopwire.server.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopwire.engine.tools.Redactor;
import picocli.CommandLine;

/**
 * Turns {@code --option key=value} values into JSON values: numbers and booleans stay typed, and
 * a value starting with {@code [} or <code>{</code> is read as JSON, so that lists and objects can
 * be given, e.g. {@code --option 'argv=["llm","-m","gpt-4o-mini","{prompt}"]'} or
 * {@code --option 'pricing={"my-model":{"input":3,"output":12}}'}. Anything else is a string.
 */
final class OptionValues {

    /** Strict JSON: no comments, single quotes, unquoted names or trailing text. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .disable(JsonParser.Feature.ALLOW_COMMENTS);

    private OptionValues() {
    }

    /**
     * The typed value of one {@code --option} value.
     *
     * @throws CommandLine.ParameterException for a value that starts like JSON but is not valid
     *         JSON (a usage error: the message says where it breaks and how to quote it)
     */
    static Object parse(String value) {
        String trimmed = value.strip();
        if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
            return json(trimmed);
        }
        if (value.equals("true") || value.equals("false")) {
            return Boolean.valueOf(value);
        }
        if (value.matches("-?\\d{1,18}")) {
            return Long.valueOf(value);
        }
        if (value.matches("-?\\d+\\.\\d+")) {
            return Double.valueOf(value);
        }
        return value;
    }

    private static Object json(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at column " + e.getLocation().getColumnNr();
            String shown = Redactor.knownFormats().redact(text.length() <= 80 ? text : text.substring(0, 80) + "…");
            throw new CommandLine.ParameterException(runCommand(), "--option value " + shown
                    + " starts with " + text.charAt(0) + " but is not valid JSON" + where + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse("")
                    + ". Lists and objects are JSON; quote the whole option for the shell, e.g."
                    + " --option 'argv=[\"llm\", \"{prompt}\"]'");
        }
    }

    /** The {@code run} command, for the usage text shown with the error. */
    private static CommandLine runCommand() {
        return Cli.subcommand("run");
    }
}
