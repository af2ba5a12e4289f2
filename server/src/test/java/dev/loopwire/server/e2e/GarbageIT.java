package dev.loopwire.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.loopwire.server.testing.Frames;
import dev.loopwire.server.testing.ServerProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Garbage on the real server's stdin is answered with errors, and the server stays up. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GarbageIT {

    @TempDir
    Path dir;

    private static int code(JsonObject r) {
        return r.getAsJsonObject("error").get("code").getAsInt();
    }

    @Test
    void garbageIsAnsweredAndTheServerGoesOn() throws Exception {
        try (ServerProcess p = ServerProcess.start(dir, false)) {
            OutputStream in = p.process.getOutputStream();
            InputStream out = p.process.getInputStream();
            in.write(Frames.frame("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"loop/list\",\"params\":{}}"));
            in.flush();
            assertEquals(-32008, code(Frames.read(out)));

            in.write(Frames.frame("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"initialize\",\"params\":{\"protocolVersion\":1}}"));
            in.flush();
            assertTrue(Frames.read(out).has("result"));

            in.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            JsonObject r = Frames.read(out);
            assertTrue(r.get("id").isJsonNull());
            assertEquals(-32700, code(r));

            in.write(Frames.frame("{not json at all"));
            in.flush();
            assertEquals(-32700, code(Frames.read(out)));

            in.write(Frames.frame("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"loop/nothing\",\"params\":{}}"));
            in.flush();
            r = Frames.read(out);
            assertEquals(3, r.get("id").getAsInt());
            assertEquals(-32601, code(r));

            in.write(Frames.frame("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"loop/get\",\"params\":{\"loopId\":[1,2]}}"));
            in.flush();
            assertEquals(-32602, code(Frames.read(out)));

            in.write(Frames.frame("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"loop/get\",\"params\":{\"loopId\":\"no-such-loop\"}}"));
            in.flush();
            assertEquals(-32001, code(Frames.read(out)));

            in.write(Frames.frame("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"providers/list\",\"params\":{}}"));
            in.flush();
            r = Frames.read(out);
            assertEquals(6, r.get("id").getAsInt());
            assertTrue(r.has("result"), r.toString());
            assertTrue(p.process.isAlive());

            in.write(Frames.frame("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"shutdown\"}"));
            in.write(Frames.frame("{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}"));
            in.flush();
            assertTrue(Frames.read(out).has("result"));
            assertTrue(p.process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.process.exitValue());
        }
    }
}
