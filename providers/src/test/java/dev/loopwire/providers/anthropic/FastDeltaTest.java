package dev.loopwire.providers.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class FastDeltaTest {

    @Test
    void readsATextDelta() {
        assertEquals(new FastDelta.Text(2, "ello frien"), FastDelta.read(
                "{\"type\": \"content_block_delta\",\"index\": 2,\"delta\": {\"type\": \"text_delta\", \"text\": \"ello frien\"}}"));
    }

    @Test
    void leavesEverythingElseToTheFullReader() {
        for (String event : new String[] {
            "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hm\"}}",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
            "{\"type\":\"message_stop\"}",
            "{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\",\"x\":1}}",
        }) {
            assertNull(FastDelta.read(event), event);
        }
    }
}
