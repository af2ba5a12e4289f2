package dev.loopwire.server.cli;

/** Turns {@code --option key=value} values into JSON values: numbers and booleans stay typed. */
final class OptionValues {

    private OptionValues() {
    }

    static Object parse(String value) {
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
}
