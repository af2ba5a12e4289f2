package dev.loopwire.server.internal;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A server {@link Connection} over pipes that the test drives byte by byte: it writes raw bytes
 * (frames, garbage) and reads back raw frames, checking their header.
 */
final class RawWire implements AutoCloseable {

    final TestLoopEngine engine = new TestLoopEngine();
    final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    final ServerCore core = new ServerCore(engine, exitCode::complete, false);
    private final PipedOutputStream toServer = new PipedOutputStream();
    private final PipedInputStream fromServer = new PipedInputStream(1 << 20);
    final Connection connection;

    RawWire() throws IOException {
        this(true);
    }

    /** @param primary true: the stdio connection; false: a connection like a socket client's */
    RawWire(boolean primary) throws IOException {
        PipedInputStream serverIn = new PipedInputStream(toServer, 1 << 20);
        PipedOutputStream serverOut = new PipedOutputStream(fromServer);
        connection = Connection.open(core, serverIn, serverOut, primary, () -> { });
    }

    static byte[] frame(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] header = ("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[header.length + body.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(body, 0, all, header.length, body.length);
        return all;
    }

    void write(byte[] bytes) throws IOException {
        toServer.write(bytes);
        toServer.flush();
    }

    void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(String json) throws IOException {
        write(frame(json));
    }

    void closeInput() throws IOException {
        toServer.close();
    }

    /** Reads one frame and checks that its Content-Length is the body's exact UTF-8 byte count. */
    String readFrame() throws IOException {
        String header = readHeader(fromServer);
        if (!header.startsWith("Content-Length: ") || header.contains("\n")) {
            throw new AssertionError("unexpected header block: " + header);
        }
        int length = Integer.parseInt(header.substring("Content-Length: ".length()));
        byte[] body = fromServer.readNBytes(length);
        if (body.length != length) {
            throw new AssertionError("body shorter than Content-Length");
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    JsonObject read() throws IOException {
        return JsonParser.parseString(readFrame()).getAsJsonObject();
    }

    private static String readHeader(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream");
            }
            buf.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String s = buf.toString(StandardCharsets.US_ASCII);
        return s.substring(0, s.length() - 4);
    }

    void initialize() throws IOException {
        send("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":1}}");
        JsonObject r = read();
        if (!r.has("result")) {
            throw new AssertionError("initialize failed: " + r);
        }
    }

    @Override
    public void close() throws IOException {
        connection.close();
        toServer.close();
        core.close();
    }

    static OutputStream sink() {
        return OutputStream.nullOutputStream();
    }
}
