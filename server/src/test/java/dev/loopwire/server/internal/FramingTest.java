package dev.loopwire.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Byte-exact framing: Content-Length counts UTF-8 bytes, frames may be split or packed together. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FramingTest {

    @Test
    void responseContentLengthCountsUtf8BytesOfMultibyteBody() throws Exception {
        try (RawWire wire = new RawWire()) {
            wire.initialize();
            wire.engine.loops.put("l1", TestLoopEngine.snapshot("l1", "héllo ✓ 🚀", "created"));
            wire.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"loop/get\",\"params\":{\"loopId\":\"l1\"}}");
            String body = wire.readFrame(); // checks the header's byte count against the body
            assertTrue(body.contains("héllo ✓ 🚀"), body);
            assertTrue(body.getBytes(StandardCharsets.UTF_8).length > body.length());
        }
    }

    @Test
    void requestWithMultibyteBodyIsReadByByteCount() throws Exception {
        try (RawWire wire = new RawWire()) {
            wire.initialize();
            wire.send("{\"jsonrpc\":\"2.0\",\"id\":\"ü-1\",\"method\":\"loop/start\",\"params\":{\"workspace\":\"/tmp\",\"goal\":\"schreibe grüße ✓\",\"name\":\"naïve\"}}");
            JsonObject r = wire.read();
            assertEquals("ü-1", r.get("id").getAsString());
            assertEquals("naïve", r.getAsJsonObject("result").get("name").getAsString());
        }
    }

    @Test
    void frameSplitAcrossWritesIsReassembled() throws Exception {
        try (RawWire wire = new RawWire()) {
            wire.initialize();
            byte[] frame = RawWire.frame("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"providers/list\",\"params\":{}}");
            // header split mid-line, then the body split mid-character-free boundary
            int[] cuts = {3, 17, 20, 30, frame.length - 5};
            int from = 0;
            for (int cut : cuts) {
                wire.write(java.util.Arrays.copyOfRange(frame, from, cut));
                from = cut;
            }
            wire.write(java.util.Arrays.copyOfRange(frame, from, frame.length));
            JsonObject r = wire.read();
            assertEquals(7, r.get("id").getAsInt());
            assertEquals("scripted", r.getAsJsonObject("result").getAsJsonArray("providers").get(0)
                    .getAsJsonObject().get("id").getAsString());
        }
    }

    @Test
    void twoFramesInOneWriteAreBothAnswered() throws Exception {
        try (RawWire wire = new RawWire()) {
            wire.initialize();
            byte[] a = RawWire.frame("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"providers/list\",\"params\":{}}");
            byte[] b = RawWire.frame("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"providers/list\",\"params\":{}}");
            byte[] both = new byte[a.length + b.length];
            System.arraycopy(a, 0, both, 0, a.length);
            System.arraycopy(b, 0, both, a.length, b.length);
            wire.write(both);
            int ids = wire.read().get("id").getAsInt() + wire.read().get("id").getAsInt();
            assertEquals(3, ids);
        }
    }

    @Test
    void contentTypeHeaderIsAcceptedAndOtherHeadersIgnored() throws Exception {
        try (RawWire wire = new RawWire()) {
            wire.initialize();
            byte[] body = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"providers/list\",\"params\":{}}".getBytes(StandardCharsets.UTF_8);
            wire.write("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nX-Other: 1\r\nContent-Length: "
                    + body.length + "\r\n\r\n");
            wire.write(body);
            assertEquals(3, wire.read().get("id").getAsInt());
        }
    }
}
