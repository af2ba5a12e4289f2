package dev.loopwire.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.GsonBuilder;
import dev.loopwire.protocol.services.LoopwireClient;
import dev.loopwire.protocol.services.LoopwireServer;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.lsp4j.jsonrpc.services.JsonDelegate;
import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reflects over the protocol's service interfaces and records and writes
 * {@code target/protocol-description.json}: every method (wire name, request or notification,
 * direction, params and result type), every record with its fields, every enum with its wire
 * values. The VS Code extension's tests compare its {@code src/protocol.ts} with this file, so
 * the TypeScript mirror cannot drift from the Java contract unnoticed.
 */
class ProtocolDescriptionTest {

    private static final Path OUTPUT = Path.of("target", "protocol-description.json");

    @Test
    @Timeout(30)
    void writesProtocolDescriptionMatchingTheServiceInterfaces() throws IOException {
        Map<String, Object> types = new TreeMap<>();
        List<Map<String, Object>> methods = new ArrayList<>();
        collectMethods(LoopwireServer.class, "", "clientToServer", methods, types);
        collectMethods(LoopwireClient.class, "", "serverToClient", methods, types);
        for (Class<?> e : List.of(LoopStatus.class, Decision.class, OutputKind.class)) {
            describeType(e, types);
        }
        methods.sort(Comparator.comparing(m -> (String) m.get("method")));

        Map<String, Object> errorCodes = new LinkedHashMap<>();
        for (ErrorCode code : ErrorCode.values()) {
            errorCodes.put(code.name(), code.code());
        }
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("protocolVersion", LoopwireProtocol.PROTOCOL_VERSION);
        description.put("methods", methods);
        description.put("types", types);
        description.put("errorCodes", errorCodes);

        Files.createDirectories(OUTPUT.getParent());
        String json = new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(description);
        Files.writeString(OUTPUT, json + "\n", StandardCharsets.UTF_8);

        // Sanity: the fixed method names of PROTOCOL.md are all there, with the right shapes.
        Map<String, Map<String, Object>> byName = new TreeMap<>();
        methods.forEach(m -> byName.put((String) m.get("method"), m));
        for (String name : List.of("initialize", "initialized", "shutdown", "exit", "loop/start", "loop/step",
                "loop/approve", "loop/cancel", "loop/pause", "loop/resume", "loop/list", "loop/get",
                "loop/memory", "providers/list", "templates/list", "loop/status", "loop/progress",
                "loop/output", "loop/iteration", "loop/approvalRequested", "loop/approvalResolved",
                "loop/memoryChanged")) {
            assertTrue(byName.containsKey(name), "missing method " + name);
        }
        assertEquals(methods.size(), byName.size(), "duplicate method names");
        assertEquals("request", byName.get("loop/start").get("kind"));
        assertEquals("StartLoopParams", byName.get("loop/start").get("params"));
        assertEquals("LoopSnapshot", byName.get("loop/start").get("result"));
        assertEquals("notification", byName.get("loop/status").get("kind"));
        assertEquals("serverToClient", byName.get("loop/status").get("direction"));
        assertEquals("clientToServer", byName.get("initialized").get("direction"));
        for (Map<String, Object> m : methods) {
            Object params = m.get("params");
            if (params != null) {
                assertTrue(types.containsKey(params), "params type not described: " + params);
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> snapshot = (Map<String, Object>) types.get("LoopSnapshot");
        assertNotNull(snapshot);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> fields = (List<Map<String, Object>>) snapshot.get("fields");
        assertEquals("loopId", fields.get(0).get("name"));
        assertFalse(types.containsKey("Object"));
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) types.get("LoopStatus");
        assertEquals(LoopStatus.values().length, ((List<?>) status.get("values")).size());
        assertTrue(Files.size(OUTPUT) > 1000);
    }

    private static void collectMethods(Class<?> service, String inheritedSegment, String direction,
            List<Map<String, Object>> out, Map<String, Object> types) {
        JsonSegment segment = service.getAnnotation(JsonSegment.class);
        String prefix = segment != null ? segment.value() + "/" : inheritedSegment;
        Method[] declared = service.getMethods();
        Arrays.sort(declared, Comparator.comparing(Method::getName));
        for (Method method : declared) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            if (method.isAnnotationPresent(JsonDelegate.class)) {
                collectMethods(method.getReturnType(), prefix, direction, out, types);
                continue;
            }
            JsonRequest request = method.getAnnotation(JsonRequest.class);
            JsonNotification notification = method.getAnnotation(JsonNotification.class);
            if (request == null && notification == null) {
                continue;
            }
            String explicit = request != null ? request.value() : notification.value();
            boolean useSegment = request != null ? request.useSegment() : notification.useSegment();
            String name = explicit.isEmpty() ? method.getName() : explicit;
            String wire = useSegment ? prefix + name : name;

            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", wire);
            m.put("kind", request != null ? "request" : "notification");
            m.put("direction", direction);
            if (method.getParameterCount() == 1) {
                Class<?> params = method.getParameterTypes()[0];
                describeType(params, types);
                m.put("params", params.getSimpleName());
            } else {
                assertEquals(0, method.getParameterCount(), "more than one params object: " + wire);
                m.put("params", null);
            }
            if (request != null) {
                Type ret = method.getGenericReturnType();
                assertTrue(ret instanceof ParameterizedType, "request must return CompletableFuture<T>: " + wire);
                Type result = ((ParameterizedType) ret).getActualTypeArguments()[0];
                if (result == Object.class) {
                    m.put("result", null);
                } else {
                    describeType((Class<?>) result, types);
                    m.put("result", ((Class<?>) result).getSimpleName());
                }
            } else {
                assertEquals(void.class, method.getReturnType(), "notification must return void: " + wire);
            }
            out.add(m);
        }
    }

    private static void describeType(Class<?> type, Map<String, Object> types) {
        if (!type.getPackageName().equals(LoopwireProtocol.class.getPackageName())
                || types.containsKey(type.getSimpleName())) {
            return;
        }
        Map<String, Object> d = new LinkedHashMap<>();
        types.put(type.getSimpleName(), d);
        if (type.isRecord()) {
            d.put("kind", "record");
            List<Map<String, Object>> fields = new ArrayList<>();
            for (RecordComponent c : type.getRecordComponents()) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("name", c.getName());
                f.put("type", typeName(c.getGenericType(), types));
                f.put("primitive", c.getType().isPrimitive());
                fields.add(f);
            }
            d.put("fields", fields);
        } else if (type.isEnum()) {
            d.put("kind", "enum");
            List<String> values = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                values.add(constant.toString());
            }
            d.put("values", values);
        } else {
            throw new AssertionError("protocol type is neither record nor enum: " + type);
        }
    }

    private static String typeName(Type t, Map<String, Object> types) {
        if (t instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                return "List<" + typeName(args[0], types) + ">";
            }
            if (Map.class.isAssignableFrom(raw)) {
                return "Map<" + typeName(args[0], types) + "," + typeName(args[1], types) + ">";
            }
            return raw.getSimpleName();
        }
        Class<?> c = (Class<?>) t;
        describeType(c, types);
        return c.getSimpleName();
    }
}
