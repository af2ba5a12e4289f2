package dev.loopwire.providers.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class FastChunkTest {

    private static final String HEAD = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp\",";

    @Test
    void readsAPlainTextChunk() {
        assertEquals(new FastChunk.Text("Hi", "gpt-4o-mini"), FastChunk.read(HEAD
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}"));
        assertEquals(new FastChunk.Text("", "gpt-4o-mini"), FastChunk.read(HEAD
                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}"));
    }

    @Test
    void leavesEverythingElseToTheFullReader() {
        for (String rest : new String[] {
            "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
            "\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"hm\"},\"finish_reason\":null}]}",
            "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0}]},\"finish_reason\":null}]}",
            "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null},{\"index\":1,\"delta\":{}}]}",
            "\"choices\":[{\"index\":1,\"delta\":{\"content\":\"a\"},\"finish_reason\":null}]}",
            "\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}",
            "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null}],\"error\":{\"message\":\"x\"}}",
            "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"",
            "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null}]} trailing",
        }) {
            assertNull(FastChunk.read(HEAD + rest), rest);
        }
        assertNull(FastChunk.read("[DONE]"));
        assertNull(FastChunk.read("{\"model\":\"x\"}"));
    }
}
