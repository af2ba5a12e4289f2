package dev.loopwire.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.loopwire.protocol.ErrorCode;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every malformed input gets the right JSON-RPC error and the server goes on: after each case a
 * valid request is still answered.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class MalformedInputTest {

    private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":\"ping\",\"method\":\"providers/list\",\"params\":{}}";

    private static void assertError(JsonObject response, Object id, int code) {
        assertTrue(response.has("error"), response.toString());
        if (id == null) {
            assertTrue(response.get("id").isJsonNull(), response.toString());
        } else {
            assertEquals(id.toString(), response.get("id").getAsString(), response.toString());
        }
        assertEquals(code, response.getAsJsonObject("error").get("code").getAsInt(), response.toString());
        assertTrue(response.getAsJsonObject("error").get("message").getAsString().length() > 10);
    }

    private static void assertStillServes(RawWire wire) throws Exception {
        wire.send(PING);
        JsonObject r = wire.read();
        assertEquals("ping", r.get("id").getAsString(), r.toString());
        assertTrue(r.has("result"), r.toString());
    }

    @Test
    void invalidJsonIsAParseErrorWithNullId() throws Exception {
        try (RawWire wire = new RawWire()) {
            wire.initialize();
            wire.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":");
            assertError(wire.read(), null, ErrorCode.PARSE_ERROR.code());
            assertStillServes(wire);
        }
    }

    @Test
    void garbageWithoutContentLengthIsAParseError() throws Exception {
        try (RawWire wire = new RawWire()) {
            wire.initialize();
            wire.write("hello there, this is not a frame\r\n\r\n");
            assertError(wire.read(), null, ErrorCode.PARSE_ERROR.code());
            wire.write("Content-Length: banana\r\n\r\n");
            assertError(wire.read(), null, ErrorCode.PARSE_ERROR.code());
            assertStillServes(wire);
        }
    }

    @Test
    void nonObjectsAreInvalidRequests() throws Exception {
        try (RawWire wire = new RawWire()) {
            wire.initialize();
            wire.send("[" + PING + "]");
            assertError(wire.read(), null, ErrorCode.INVALID_REQUEST.code());
            wire.send("42");
            assertError(wire.read(), null, ErrorCode.INVALID_REQUEST.code());
            wire.send("{\"jsonrpc\":\"2.0\",\"id\":5}");
            assertError(wire.read(), 5, ErrorCode.INVALID_REQUEST.code());
            wire.send("{\"jsonrpc\":\"1.0\",\"id\":6,\"method\":\"providers/list\"}");
            assertError(wire.read(), 6, ErrorCode.INVALID_REQUEST.code());
            wire.send("{\"jsonrpc\":\"2.0\",\"id\":{\"x\":1},\"method\":\"providers/list\"}");
            assertError(wire.read(), null, ErrorCode.INVALID_REQUEST.code());
            assertStillServes(wire);
        }
    }

    @Test
    void unknownMethodIsMethodNotFound() throws Exception {
        try (RawWire wire = new RawWire()) {
            wire.initialize();
            wire.send("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"loop/fly\",\"params\":{}}");
            assertError(wire.read(), 9, ErrorCode.METHOD_NOT_FOUND.code());
            // an unknown notification gets no answer; the next request is answered
            wire.send("{\"jsonrpc\":\"2.0\",\"method\":\"loop/whatever\",\"params\":{}}");
            assertStillServes(wire);
        }
    }

    @Test
    void wrongParamTypesAreInvalidParams() throws Exception {
        try (RawWire wire = new RawWire()) {
            wire.initialize();
            wire.send("{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"loop/get\",\"params\":{\"loopId\":{\"nested\":true}}}");
            assertError(wire.read(), 10, ErrorCode.INVALID_PARAMS.code());
            wire.send("{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"loop/start\",\"params\":{\"workspace\":\"/tmp\",\"goal\":\"g\",\"budget\":{\"maxIterations\":\"many\"}}}");
            assertError(wire.read(), 11, ErrorCode.INVALID_PARAMS.code());
            wire.send("{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"loop/get\",\"params\":\"l1\"}");
            assertError(wire.read(), 12, ErrorCode.INVALID_PARAMS.code());
            assertStillServes(wire);
        }
    }

    @Test
    void missingOrWrongParamsAreInvalidParamsWithAHint() throws Exception {
        try (RawWire wire = new RawWire()) {
            wire.initialize();
            wire.send("{\"jsonrpc\":\"2.0\",\"id\":13,\"method\":\"loop/get\"}");
            JsonObject r = wire.read();
            assertError(r, 13, ErrorCode.INVALID_PARAMS.code());
            assertTrue(r.toString().contains("loopId"), r.toString());
            wire.send("{\"jsonrpc\":\"2.0\",\"id\":14,\"method\":\"loop/approve\",\"params\":{\"loopId\":\"l\",\"approvalId\":\"a\",\"decision\":\"maybe\"}}");
            r = wire.read();
            assertError(r, 14, ErrorCode.INVALID_PARAMS.code());
            assertTrue(r.toString().contains("allow_once"), r.toString());
            wire.send("{\"jsonrpc\":\"2.0\",\"id\":15,\"method\":\"loop/get\",\"params\":{\"loopId\":\"nope\"}}");
            assertError(wire.read(), 15, ErrorCode.UNKNOWN_LOOP.code());
            assertStillServes(wire);
        }
    }

    @Test
    void requestsBeforeInitializeAreRefusedAsNotReady() throws Exception {
        try (RawWire wire = new RawWire()) {
            wire.send(PING.replace("\"ping\"", "1"));
            assertError(wire.read(), 1, ErrorCode.SERVER_NOT_READY.code());
            wire.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"initialize\",\"params\":{\"protocolVersion\":2}}");
            assertError(wire.read(), 2, ErrorCode.INVALID_PARAMS.code());
            wire.initialize();
            assertStillServes(wire);
        }
    }
}
