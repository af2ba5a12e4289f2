package dev.loopwire.engine.tools.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The input of one tool: its JSON Schema (as given to the model, in a stable key order so that
 * prompts stay byte-identical between calls) and the matching validation, which names the field
 * and what was expected in every message.
 *
 * <p>An optional field given as JSON {@code null} counts as not given (models often send
 * {@code "glob": null} for "no glob").
 */
public final class InputSchema {

    /** The JSON types a field may have. */
    public enum Type { STRING, INTEGER }

    /**
     * One field.
     *
     * @param name        the property name
     * @param type        its JSON type
     * @param required    whether it must be present
     * @param description what it means, written for a model
     * @param min         strings: minimum length; integers: minimum value
     * @param max         strings: maximum length; integers: maximum value
     * @param notBlank    strings: must contain a non-whitespace character
     */
    public record Field(String name, Type type, boolean required, String description,
                        long min, long max, boolean notBlank) {
    }

    private final String toolName;
    private final List<Field> fields;
    private final Map<String, Object> schema;

    private InputSchema(String toolName, List<Field> fields) {
        this.toolName = toolName;
        this.fields = List.copyOf(fields);
        this.schema = buildSchema(this.fields);
    }

    /** Starts a schema for the tool {@code toolName}. */
    public static Builder forTool(String toolName) {
        return new Builder(toolName);
    }

    /** The JSON Schema of the input: an object with {@code additionalProperties: false}. */
    public Map<String, Object> jsonSchema() {
        return schema;
    }

    /** Every problem with {@code input}, one message each; empty when it is valid. */
    public List<String> validate(Map<String, Object> input) {
        List<String> problems = new ArrayList<>();
        if (input == null) {
            problems.add(toolName + " expects a JSON object with " + describeFields());
            return problems;
        }
        for (String key : input.keySet()) {
            if (fields.stream().noneMatch(f -> f.name().equals(key))) {
                problems.add("unknown field '" + key + "': " + toolName + " accepts only " + describeFields());
            }
        }
        for (Field field : fields) {
            Object value = input.get(field.name());
            if (value == null) {
                if (field.required()) {
                    problems.add("missing required field '" + field.name() + "': expected "
                            + expected(field) + " (" + field.description() + ")");
                }
                continue;
            }
            String problem = field.type() == Type.STRING ? checkString(field, value) : checkInteger(field, value);
            if (problem != null) {
                problems.add(problem);
            }
        }
        return problems;
    }

    /** The string value of a valid field, or {@code fallback} when it was not given. */
    public static String string(Map<String, Object> input, String name, String fallback) {
        Object value = input == null ? null : input.get(name);
        return value == null ? fallback : value.toString();
    }

    /** The integer value of a valid field, or {@code fallback} when it was not given. */
    public static long integer(Map<String, Object> input, String name, long fallback) {
        Object value = input == null ? null : input.get(name);
        return value instanceof Number n ? asExactLong(n) : fallback;
    }

    private String checkString(Field field, Object value) {
        if (!(value instanceof CharSequence text)) {
            return "field '" + field.name() + "': expected " + expected(field) + ", got " + jsonType(value);
        }
        int length = text.length();
        if (length < field.min()) {
            return "field '" + field.name() + "': expected " + expected(field) + ", got "
                    + (length == 0 ? "an empty string" : "a string of " + length + " characters");
        }
        if (length > field.max()) {
            return "field '" + field.name() + "': expected at most " + field.max()
                    + " characters, got " + length;
        }
        if (field.notBlank() && text.toString().isBlank()) {
            return "field '" + field.name() + "': expected " + expected(field) + ", got only whitespace";
        }
        return null;
    }

    private String checkInteger(Field field, Object value) {
        if (!(value instanceof Number number) || !isIntegral(number)) {
            return "field '" + field.name() + "': expected " + expected(field) + ", got " + jsonType(value)
                    + (value instanceof Number ? " " + value : "");
        }
        BigDecimal exact = new BigDecimal(number.toString());
        if (exact.compareTo(BigDecimal.valueOf(field.min())) < 0
                || exact.compareTo(BigDecimal.valueOf(field.max())) > 0) {
            return "field '" + field.name() + "': expected " + expected(field) + ", got " + exact.toPlainString();
        }
        return null;
    }

    private static boolean isIntegral(Number number) {
        if (number instanceof Integer || number instanceof Long || number instanceof Short
                || number instanceof Byte || number instanceof BigInteger) {
            return true;
        }
        try {
            BigDecimal exact = new BigDecimal(number.toString());
            return exact.stripTrailingZeros().scale() <= 0;
        } catch (NumberFormatException e) {
            return false; // NaN, Infinity
        }
    }

    private static long asExactLong(Number number) {
        try {
            return new BigDecimal(number.toString()).longValue();
        } catch (NumberFormatException e) {
            return number.longValue();
        }
    }

    private static String expected(Field field) {
        if (field.type() == Type.STRING) {
            if (field.notBlank() || field.min() > 0) {
                return "a non-empty string";
            }
            return "a string";
        }
        return "an integer from " + field.min() + " to " + field.max();
    }

    private String describeFields() {
        List<String> names = new ArrayList<>();
        for (Field field : fields) {
            names.add(field.name() + (field.required() ? "" : "?"));
        }
        return "{" + String.join(", ", names) + "}";
    }

    static String jsonType(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof CharSequence) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List || value.getClass().isArray()) {
            return "an array";
        }
        return "a " + value.getClass().getSimpleName();
    }

    private static Map<String, Object> buildSchema(List<Field> fields) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (Field field : fields) {
            Map<String, Object> property = new LinkedHashMap<>();
            property.put("type", field.type() == Type.STRING ? "string" : "integer");
            property.put("description", field.description());
            if (field.type() == Type.STRING) {
                if (field.min() > 0) {
                    property.put("minLength", field.min());
                }
                if (field.max() < Integer.MAX_VALUE) {
                    property.put("maxLength", field.max());
                }
            } else {
                property.put("minimum", field.min());
                property.put("maximum", field.max());
            }
            properties.put(field.name(), Collections.unmodifiableMap(property));
            if (field.required()) {
                required.add(field.name());
            }
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", Collections.unmodifiableMap(properties));
        schema.put("required", List.copyOf(required));
        schema.put("additionalProperties", false);
        return Collections.unmodifiableMap(schema);
    }

    /** Collects the fields of a schema. */
    public static final class Builder {
        private final String toolName;
        private final List<Field> fields = new ArrayList<>();

        private Builder(String toolName) {
            this.toolName = toolName;
        }

        /** A required string that must contain a non-whitespace character. */
        public Builder requiredText(String name, long maxLength, String description) {
            fields.add(new Field(name, Type.STRING, true, description, 1, maxLength, true));
            return this;
        }

        /** A required string that may be empty (e.g. file content). */
        public Builder requiredString(String name, long maxLength, String description) {
            fields.add(new Field(name, Type.STRING, true, description, 0, maxLength, false));
            return this;
        }

        /** A required string of at least one character, which may be whitespace (e.g. text to replace). */
        public Builder requiredNonEmpty(String name, long maxLength, String description) {
            fields.add(new Field(name, Type.STRING, true, description, 1, maxLength, false));
            return this;
        }

        /** An optional string that, when given, may be empty. */
        public Builder optionalString(String name, long maxLength, String description) {
            fields.add(new Field(name, Type.STRING, false, description, 0, maxLength, false));
            return this;
        }

        /** An optional integer within {@code [min, max]}. */
        public Builder optionalInteger(String name, long min, long max, String description) {
            fields.add(new Field(name, Type.INTEGER, false, description, min, max, false));
            return this;
        }

        public InputSchema build() {
            return new InputSchema(toolName, fields);
        }
    }
}
