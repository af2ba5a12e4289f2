package dev.loopwire.providers.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.loopwire.providers.http.Json;
import java.io.IOException;

/**
 * A fast read of the most common event, a {@code content_block_delta} with a {@code text_delta}:
 * its block index and text, without building a tree. Anything else (including malformed JSON)
 * gives null and the event is read in full.
 */
final class FastDelta {

    /** A text delta of block {@code index}. */
    record Text(int index, String text) {
    }

    private FastDelta() {
    }

    static Text read(String data) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            boolean isDelta = false;
            Integer index = null;
            String text = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "type" -> {
                        if (value != JsonToken.VALUE_STRING || !"content_block_delta".equals(p.getText())) {
                            return null;
                        }
                        isDelta = true;
                    }
                    case "index" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT) {
                            return null;
                        }
                        index = p.getIntValue();
                    }
                    case "delta" -> {
                        if (value != JsonToken.START_OBJECT) {
                            return null;
                        }
                        text = textDelta(p);
                        if (text == null) {
                            return null;
                        }
                    }
                    default -> {
                        return null;
                    }
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null || !isDelta || index == null
                    || text == null) {
                return null;
            }
            return new Text(index, text);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String textDelta(JsonParser p) throws IOException {
        boolean isText = false;
        String text = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("type") && value == JsonToken.VALUE_STRING && "text_delta".equals(p.getText())) {
                isText = true;
            } else if (field.equals("text") && value == JsonToken.VALUE_STRING) {
                text = p.getText();
            } else {
                return null;
            }
        }
        return isText ? text : null;
    }
}
