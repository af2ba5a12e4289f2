package dev.loopwire.server.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.loopwire.protocol.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.lsp4j.jsonrpc.JsonRpcException;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.MessageIssueException;
import org.eclipse.lsp4j.jsonrpc.MessageProducer;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.messages.Message;

/**
 * Reads LSP-framed JSON-RPC messages and answers every malformed one instead of dropping it
 * (lsp4j's own reader logs most of these and sends nothing back):
 * <ul>
 *   <li>a header block without a valid {@code Content-Length}, or a body that is not JSON:
 *       {@code -32700} with {@code id: null};</li>
 *   <li>a JSON value that is not a request object (array, number, no {@code method}, bad
 *       {@code id}, {@code jsonrpc} other than "2.0"): {@code -32600};</li>
 *   <li>a request whose params do not fit the method's types: {@code -32602} with its id.</li>
 * </ul>
 * Unknown methods are left to lsp4j, which answers {@code -32601}. After each error the reader
 * goes on with the next frame.
 * <p>
 * With a {@link FrameBudget} (the server's socket connections), a body is read only once its
 * length has been taken from the budget; a frame that does not fit in time is refused with
 * {@code -32600} (with the request's id when it stands in the body's first
 * {@value #ID_PREFIX_BYTES} bytes, else {@code null}) and its body is skipped unbuffered, so that
 * the connection stays in step and serves the client's next frame.
 */
public final class FramedMessageProducer implements MessageProducer, Closeable {

    private static final Logger LOG = Logger.getLogger(FramedMessageProducer.class.getName());
    private static final int MAX_HEADER_LINE = 8 * 1024;
    static final long MAX_CONTENT_LENGTH = 64L * 1024 * 1024;
    /** How much of a refused frame's body is looked at for its id. */
    static final int ID_PREFIX_BYTES = 4096;

    private final InputStream input;
    private final MessageJsonHandler jsonHandler;
    private final FramedMessageConsumer errors;
    private final FrameBudget budget;
    private volatile boolean keepRunning = true;

    public FramedMessageProducer(InputStream input, MessageJsonHandler jsonHandler, FramedMessageConsumer errors) {
        this(input, jsonHandler, errors, null);
    }

    /** @param budget shared by the connections whose frame bodies it limits; null: no limit but the 64 MiB per frame */
    public FramedMessageProducer(InputStream input, MessageJsonHandler jsonHandler, FramedMessageConsumer errors,
            FrameBudget budget) {
        this.input = input;
        this.jsonHandler = jsonHandler;
        this.errors = errors;
        this.budget = budget;
    }

    @Override
    public void listen(MessageConsumer callback) {
        try {
            while (keepRunning) {
                if (!readOne(callback)) {
                    return;
                }
            }
        } catch (IOException e) {
            if (keepRunning) {
                throw new JsonRpcException(e);
            }
        }
    }

    @Override
    public void close() {
        keepRunning = false;
        try {
            input.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing input", e);
        }
    }

    /** Reads and handles one frame; false at the end of the stream. */
    private boolean readOne(MessageConsumer callback) throws IOException {
        long contentLength = -1;
        boolean badLength = false;
        Charset charset = StandardCharsets.UTF_8;
        boolean sawAnyLine = false;
        while (true) {
            String line = readHeaderLine();
            if (line == null) {
                return false;
            }
            if (line.isEmpty()) {
                if (sawAnyLine) {
                    break;
                }
                continue; // stray blank lines between frames
            }
            sawAnyLine = true;
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue; // not a header: the frame is judged when the block ends
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                try {
                    contentLength = Long.parseLong(value);
                    badLength = contentLength < 0 || contentLength > MAX_CONTENT_LENGTH;
                } catch (NumberFormatException e) {
                    badLength = true;
                }
            } else if (name.equals("content-type")) {
                charset = charsetOf(value);
            }
        }
        if (badLength || contentLength < 0) {
            errors.writeRaw(errorJson(null, ErrorCode.PARSE_ERROR.code(), badLength
                    ? "Invalid Content-Length header (expected a byte count up to " + MAX_CONTENT_LENGTH + ")"
                    : "Missing Content-Length header: frame each message as 'Content-Length: N\\r\\n\\r\\n' followed by N bytes of JSON"));
            return true;
        }
        FrameBudget.Lease lease = null;
        if (budget != null) {
            try {
                lease = budget.reserve(contentLength);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false; // the connection is being closed
            }
            if (lease == null) {
                return refuseAndSkip(contentLength, charset);
            }
        }
        try {
            byte[] body = input.readNBytes((int) contentLength);
            if (body.length < contentLength) {
                return false;
            }
            handleBody(new String(body, charset), callback);
            return true;
        } finally {
            if (lease != null) {
                lease.close();
            }
        }
    }

    /**
     * Answers a frame the budget has no room for and skips its body without keeping it (only its
     * first bytes are read for the id). False when the stream ends inside the body.
     */
    private boolean refuseAndSkip(long contentLength, Charset charset) throws IOException {
        byte[] prefix = input.readNBytes((int) Math.min(contentLength, ID_PREFIX_BYTES));
        JsonElement id = idIn(new String(prefix, charset));
        long limit = budget.limitFor(contentLength);
        String why = contentLength > limit
                ? "it is larger than the " + limit + " bytes the server lets a frame of this size use at once"
                : "the server is already reading other clients' large frames and no room came free within "
                        + budget.waitMillis() + " ms; retry later";
        errors.writeRaw(errorJson(id, ErrorCode.INVALID_REQUEST.code(), "Request refused: a frame of "
                + contentLength + " bytes does not fit in the server's budget for frames being read ("
                + budget.budgetBytes() + " bytes, -D" + FrameBudget.BYTES_PROPERTY + "): " + why
                + "; its body was skipped unread"));
        LOG.warning(() -> "refused a frame of " + contentLength + " bytes: frame budget " + budget.usedBytes()
                + "/" + budget.budgetBytes() + " bytes in use");
        if (prefix.length < Math.min(contentLength, ID_PREFIX_BYTES)) {
            return false;
        }
        try {
            input.skipNBytes(contentLength - prefix.length);
        } catch (java.io.EOFException e) {
            return false;
        }
        return true;
    }

    /** The id of a request whose body begins with {@code prefix}, when it can be read there; else null. */
    static JsonElement idIn(String prefix) {
        try {
            JsonReader reader = new JsonReader(new StringReader(prefix));
            reader.beginObject();
            while (reader.hasNext()) {
                if (reader.nextName().equals("id")) {
                    JsonToken token = reader.peek();
                    if (token != JsonToken.STRING && token != JsonToken.NUMBER) {
                        return null;
                    }
                    JsonElement id = JsonParser.parseReader(reader);
                    reader.peek(); // the value ended before the prefix did (a number is not cut short)
                    return validId(id) ? id : null;
                }
                reader.skipValue();
            }
        } catch (IOException | RuntimeException e) {
            // the prefix ends before the id, or is not a JSON object
        }
        return null;
    }

    /** A header line without its line end; null at the end of the stream. Overlong lines are cut. */
    private String readHeaderLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        while (true) {
            int b = input.read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                break;
            }
            if (line.size() < MAX_HEADER_LINE) {
                line.write(b);
            }
        }
        String text = line.toString(StandardCharsets.US_ASCII);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static Charset charsetOf(String contentType) {
        for (String part : contentType.split(";")) {
            String p = part.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                String cs = p.substring("charset=".length()).trim();
                if (cs.equalsIgnoreCase("utf8")) {
                    return StandardCharsets.UTF_8;
                }
                try {
                    return Charset.forName(cs);
                } catch (RuntimeException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private void handleBody(String text, MessageConsumer callback) {
        JsonElement tree;
        try {
            tree = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            errors.writeRaw(errorJson(null, ErrorCode.PARSE_ERROR.code(),
                    "Parse error: the message body is not valid JSON"));
            return;
        }
        if (!tree.isJsonObject()) {
            errors.writeRaw(errorJson(null, ErrorCode.INVALID_REQUEST.code(), tree.isJsonArray()
                    ? "Invalid request: batches are not supported; send one JSON object per frame"
                    : "Invalid request: a message must be a JSON object"));
            return;
        }
        JsonObject object = tree.getAsJsonObject();
        JsonElement id = object.get("id");
        if (id != null && !validId(id)) {
            errors.writeRaw(errorJson(null, ErrorCode.INVALID_REQUEST.code(),
                    "Invalid request: id must be a string or a number"));
            return;
        }
        JsonElement jsonrpc = object.get("jsonrpc");
        if (jsonrpc == null || !jsonrpc.isJsonPrimitive() || !"2.0".equals(jsonrpc.getAsString())) {
            answer(id, ErrorCode.INVALID_REQUEST.code(), "Invalid request: \"jsonrpc\" must be \"2.0\"");
            return;
        }
        JsonElement method = object.get("method");
        boolean isResponse = method == null && (object.has("result") || object.has("error"));
        if (!isResponse && (method == null || !method.isJsonPrimitive() || !method.getAsJsonPrimitive().isString())) {
            answer(id, ErrorCode.INVALID_REQUEST.code(), "Invalid request: \"method\" must be a string");
            return;
        }
        JsonElement params = object.get("params");
        if (params != null && !params.isJsonNull() && !params.isJsonObject() && !params.isJsonArray()) {
            answer(id, ErrorCode.INVALID_PARAMS.code(),
                    "Invalid params for " + method.getAsString() + ": params must be an object");
            return;
        }
        Message message;
        try {
            message = jsonHandler.parseMessage(text);
        } catch (MessageIssueException e) {
            answer(id, ErrorCode.INVALID_PARAMS.code(), invalidParams(method, e.getMessage()));
            return;
        } catch (RuntimeException e) {
            answer(id, ErrorCode.INVALID_PARAMS.code(), invalidParams(method, e.getMessage()));
            return;
        }
        try {
            callback.consume(message);
        } catch (MessageIssueException e) {
            answer(id, ErrorCode.INVALID_PARAMS.code(), invalidParams(method, e.getMessage()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "handling a message failed", e);
            answer(id, ErrorCode.INTERNAL_ERROR.code(), "Internal error: " + e.getMessage());
        }
    }

    private static String invalidParams(JsonElement method, String detail) {
        String name = method == null ? "the message" : method.getAsString();
        String cause = detail == null ? "" : ": " + firstLine(detail);
        return "Invalid params for " + name + ": a field has the wrong type" + cause;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static boolean validId(JsonElement id) {
        if (id.isJsonNull()) {
            return true;
        }
        if (!id.isJsonPrimitive()) {
            return false;
        }
        JsonPrimitive p = id.getAsJsonPrimitive();
        return p.isString() || p.isNumber();
    }

    /** Answers a request (a message with an id); a notification gets nothing, as JSON-RPC says. */
    private void answer(JsonElement id, int code, String message) {
        if (id == null) {
            LOG.warning(() -> "dropped a notification: " + message);
            return;
        }
        errors.writeRaw(errorJson(id, code, message));
    }

    static String errorJson(JsonElement id, int code, String message) {
        JsonObject error = new JsonObject();
        error.addProperty("code", code);
        error.addProperty("message", message);
        JsonObject response = new JsonObject();
        response.addProperty("jsonrpc", "2.0");
        response.add("id", id == null ? JsonNull.INSTANCE : id);
        response.add("error", error);
        return new com.google.gson.GsonBuilder().serializeNulls().create().toJson(response);
    }
}
