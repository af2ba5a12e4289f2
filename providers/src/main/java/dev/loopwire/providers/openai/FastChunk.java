package dev.loopwire.providers.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.loopwire.providers.http.Json;
import java.io.IOException;

/**
 * A fast read of the most common chunk: one choice whose delta carries only text (and perhaps the
 * role), no finish reason, no usage, no error. Anything else, including malformed JSON, gives
 * null and the chunk is read as a tree. A streamed answer is mostly such chunks, and reading them
 * without building a tree roughly halves the cost per delta.
 */
final class FastChunk {

    /** The text of a plain text chunk ("" for a role-only one), and its model. */
    record Text(String content, String model) {
    }

    private FastChunk() {
    }

    static Text read(String data) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String content = null;
            String model = null;
            boolean sawChoice = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "choices" -> {
                        if (value != JsonToken.START_ARRAY || p.nextToken() != JsonToken.START_OBJECT) {
                            return null;
                        }
                        content = choice(p);
                        if (content == null || p.nextToken() != JsonToken.END_ARRAY) {
                            return null;
                        }
                        sawChoice = true;
                    }
                    case "model" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        model = p.getText();
                    }
                    case "usage", "error" -> {
                        if (value != JsonToken.VALUE_NULL) {
                            return null;
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null || !sawChoice) {
                return null;
            }
            return new Text(content, model);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Reads one choice object; its text, or null when it holds anything but text. */
    private static String choice(JsonParser p) throws IOException {
        String content = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "index" -> {
                    if (value != JsonToken.VALUE_NUMBER_INT || p.getIntValue() != 0) {
                        return null;
                    }
                }
                case "delta" -> {
                    if (value != JsonToken.START_OBJECT) {
                        return null;
                    }
                    content = delta(p);
                    if (content == null) {
                        return null;
                    }
                }
                case "logprobs", "finish_reason" -> {
                    if (value != JsonToken.VALUE_NULL) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return content;
    }

    private static String delta(JsonParser p) throws IOException {
        String content = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "content" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        content = p.getText();
                    } else if (value != JsonToken.VALUE_NULL) {
                        return null;
                    }
                }
                case "role" -> {
                    if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                        return null;
                    }
                }
                case "refusal" -> {
                    if (value != JsonToken.VALUE_NULL) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return content;
    }
}
