package dev.loopwire.server.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Raw LSP framing for tests that write bytes and read frames themselves. */
public final class Frames {

    private Frames() {
    }

    public static byte[] frame(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] header = ("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[header.length + body.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(body, 0, all, header.length, body.length);
        return all;
    }

    /** Reads one frame, checking that the header is exactly one Content-Length of the body's byte count. */
    public static JsonObject read(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream after: " + buf.toString(StandardCharsets.UTF_8));
            }
            buf.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String header = buf.toString(StandardCharsets.US_ASCII);
        header = header.substring(0, header.length() - 4);
        if (!header.startsWith("Content-Length: ") || header.contains("\n")) {
            throw new AssertionError("unexpected header block: " + header);
        }
        int length = Integer.parseInt(header.substring("Content-Length: ".length()));
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new AssertionError("body shorter than Content-Length");
        }
        return JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject();
    }
}
