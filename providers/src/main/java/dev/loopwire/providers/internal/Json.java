package dev.loopwire.providers.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** The shared Jackson mapper and small helpers of the providers owned by this package tree. */
public final class Json {

    /** Thread-safe once configured. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** A JSON object node as a plain map (nested objects as maps, arrays as lists). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Map.of();
        }
        return MAPPER.convertValue(node, Map.class);
    }

    /** A JSON value as compact text. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /** Where a Jackson error happened, as "line L, column C", or empty. */
    public static String location(JsonProcessingException e) {
        if (e.getLocation() == null) {
            return "";
        }
        return "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }
}
