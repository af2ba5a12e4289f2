package dev.loopwire.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server-wide budget for socket clients' frame bodies: its accounting, and how a connection
 * refuses a frame that does not fit (with the request's id, skipping the body, serving the next
 * frame). The budget is filled by leases the test holds, so every outcome is deterministic.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FrameBudgetTest {

    private static final int LARGE = 200 * 1024;

    private static String padded(String id, int padBytes) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"loop/list\",\"params\":{\"pad\":\""
                + "x".repeat(padBytes) + "\"}}";
    }

    @Test
    void largeFramesLeaveAnEighthForSmallOnesAndWaitersGetFreedBytes() throws Exception {
        FrameBudget budget = new FrameBudget(8 * 1024 * 1024, 60_000);
        long large = FrameBudget.LARGE_FRAME + 1;
        assertEquals(7 * 1024 * 1024, budget.limitFor(large));
        assertEquals(8 * 1024 * 1024, budget.limitFor(FrameBudget.LARGE_FRAME));
        // larger than a large frame may take at all: refused at once, not after the 60 s wait
        assertNull(budget.reserve(7 * 1024 * 1024 + 1));

        FrameBudget.Lease held = budget.reserve(7 * 1024 * 1024);
        assertNotNull(held);
        FrameBudget.Lease small = budget.reserve(FrameBudget.LARGE_FRAME); // the eighth kept for small frames
        assertNotNull(small);
        assertEquals(7 * 1024 * 1024 + FrameBudget.LARGE_FRAME, budget.usedBytes());

        CompletableFuture<FrameBudget.Lease> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return budget.reserve(large);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        small.close();
        assertTrue(!waiter.isDone() || waiter.get() != null);
        held.close();
        held.close(); // a second close gives nothing back twice
        FrameBudget.Lease got = waiter.get(20, TimeUnit.SECONDS);
        assertNotNull(got, "the waiting frame got the freed bytes");
        assertEquals(large, budget.usedBytes());
        got.close();
        assertEquals(0, budget.usedBytes());
    }

    @Test
    void aFrameThatDoesNotFitInTimeIsRefused() throws Exception {
        FrameBudget budget = new FrameBudget(1024 * 1024, 50);
        try (FrameBudget.Lease held = budget.reserve(800 * 1024)) {
            assertNotNull(held);
            assertNull(budget.reserve(200 * 1024));
            assertEquals(800 * 1024, budget.usedBytes());
        }
        assertEquals(0, budget.usedBytes());
    }

    @Test
    void settingsComeFromSystemPropertiesAndBadValuesFallBackToTheDefaults() {
        String oldBytes = System.getProperty(FrameBudget.BYTES_PROPERTY);
        String oldWait = System.getProperty(FrameBudget.WAIT_PROPERTY);
        try {
            System.setProperty(FrameBudget.BYTES_PROPERTY, "12345678");
            System.setProperty(FrameBudget.WAIT_PROPERTY, "250");
            FrameBudget set = FrameBudget.fromSystemProperties();
            assertEquals(12345678, set.budgetBytes());
            assertEquals(250, set.waitMillis());
            System.setProperty(FrameBudget.BYTES_PROPERTY, "lots");
            System.setProperty(FrameBudget.WAIT_PROPERTY, "-1");
            FrameBudget bad = FrameBudget.fromSystemProperties();
            assertEquals(FrameBudget.DEFAULT_BYTES, bad.budgetBytes());
            assertEquals(FrameBudget.DEFAULT_WAIT_MILLIS, bad.waitMillis());
        } finally {
            restore(FrameBudget.BYTES_PROPERTY, oldBytes);
            restore(FrameBudget.WAIT_PROPERTY, oldWait);
        }
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }

    @Test
    void aSocketClientsFrameThatDoesNotFitIsRefusedWithItsIdSkippedAndTheNextFrameServed() throws Exception {
        try (RawWire wire = new RawWire(false)) {
            wire.initialize();
            FrameBudget budget = wire.core.frameBudget();
            try (FrameBudget.Lease others = budget.reserve(budget.limitFor(LARGE))) {
                assertNotNull(others);
                wire.send(padded("\"big-1\"", LARGE));
                JsonObject refused = wire.read();
                assertEquals("big-1", refused.get("id").getAsString(), refused.toString());
                JsonObject error = refused.getAsJsonObject("error");
                assertEquals(-32600, error.get("code").getAsInt());
                String message = error.get("message").getAsString();
                assertTrue(message.contains("does not fit in the server's budget") && message.contains("retry later")
                        && message.contains("skipped unread") && message.contains(FrameBudget.BYTES_PROPERTY), message);
                // the body was skipped in step: a small frame (which may use the kept eighth) is served
                wire.send(padded("7", 1000));
                JsonObject small = wire.read();
                assertEquals(7, small.get("id").getAsInt());
                assertTrue(small.has("result"), small.toString());
            }
            wire.send(padded("8", LARGE));
            JsonObject accepted = wire.read();
            assertEquals(8, accepted.get("id").getAsInt());
            assertTrue(accepted.has("result"), accepted.toString());
            assertEquals(0, budget.usedBytes(), "every lease was given back");
        }
    }

    @Test
    void theRefusalSaysIdNullWhenTheIdIsNotAtTheStartOfTheBody() throws Exception {
        try (RawWire wire = new RawWire(false)) {
            wire.initialize();
            FrameBudget budget = wire.core.frameBudget();
            try (FrameBudget.Lease others = budget.reserve(budget.limitFor(LARGE))) {
                assertNotNull(others);
                wire.send("{\"jsonrpc\":\"2.0\",\"method\":\"loop/list\",\"params\":{\"pad\":\"" + "x".repeat(LARGE)
                        + "\"},\"id\":9}");
                JsonObject refused = wire.read();
                assertTrue(refused.get("id").isJsonNull(), refused.toString());
                assertEquals(-32600, refused.getAsJsonObject("error").get("code").getAsInt());
            }
            wire.send(padded("10", 10));
            assertEquals(10, wire.read().get("id").getAsInt());
        }
    }

    @Test
    void theStdioClientNeverWaitsForTheBudget() throws Exception {
        try (RawWire wire = new RawWire(true)) {
            wire.initialize();
            FrameBudget budget = wire.core.frameBudget();
            try (FrameBudget.Lease others = budget.reserve(budget.limitFor(LARGE))) {
                assertNotNull(others);
                wire.send(padded("1", LARGE));
                JsonObject r = wire.read();
                assertTrue(r.has("result"), r.toString());
            }
        }
    }

    @Test
    void theIdIsReadFromTheStartOfTheBody() {
        assertEquals("7", FramedMessageProducer.idIn("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"x\",\"params\":{\"p\":\"xx").toString());
        assertEquals("\"a\"", FramedMessageProducer.idIn("{\"id\":\"a\",\"params\":[1,2").toString());
        assertEquals("\"a\"", FramedMessageProducer.idIn("{\"params\":{\"q\":[1,{\"r\":2}]},\"id\":\"a\",\"p").toString());
        assertNull(FramedMessageProducer.idIn("{\"params\":{\"q\":\"long strin"));
        assertNull(FramedMessageProducer.idIn("{\"id\":\"cut"));
        assertNull(FramedMessageProducer.idIn("{\"id\":12"), "a number cut by the end of the prefix");
        assertNull(FramedMessageProducer.idIn("{\"id\":{\"no\":1},\"x\":1}"));
        assertNull(FramedMessageProducer.idIn("[1,2,3]"));
        assertNull(FramedMessageProducer.idIn("garbage"));
    }
}
