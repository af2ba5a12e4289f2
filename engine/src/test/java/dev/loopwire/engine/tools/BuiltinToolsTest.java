package dev.loopwire.engine.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuiltinToolsTest {

    @Test
    void offersTheSevenToolsInAFixedOrder() {
        assertEquals(List.of("read_file", "write_file", "edit_file", "list_files", "search_files", "run_command",
                "update_memory"), BuiltinTools.all().stream().map(Tool::name).toList());
        assertSame(BuiltinTools.all(), BuiltinTools.all());
    }

    @Test
    void findsByExactName() {
        assertEquals("edit_file", BuiltinTools.find("edit_file").orElseThrow().spec().name());
        assertFalse(BuiltinTools.find("Edit_File").isPresent());
        assertFalse(BuiltinTools.find("delete_file").isPresent());
        assertFalse(BuiltinTools.find(null).isPresent());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everySchemaIsAClosedObjectWithDescribedProperties() {
        for (Tool tool : BuiltinTools.all()) {
            Map<String, Object> schema = tool.spec().inputSchema();
            assertEquals("object", schema.get("type"), tool.name());
            assertEquals(false, schema.get("additionalProperties"), tool.name());
            Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
            assertFalse(properties.isEmpty(), tool.name());
            for (Object required : (List<Object>) schema.get("required")) {
                assertTrue(properties.containsKey(required), tool.name() + " requires unknown " + required);
            }
            properties.forEach((name, property) -> {
                Map<String, Object> p = (Map<String, Object>) property;
                assertTrue(List.of("string", "integer").contains(p.get("type")), tool.name() + "." + name);
                assertTrue(((String) p.get("description")).length() > 10, tool.name() + "." + name);
            });
            assertTrue(tool.spec().description().length() > 40, tool.name());
        }
    }

    @Test
    void schemasRequireWhatTheIssueNames() {
        assertEquals(List.of("path"), required("read_file"));
        assertEquals(List.of("path", "content"), required("write_file"));
        assertEquals(List.of("path", "oldText", "newText"), required("edit_file"));
        assertEquals(List.of(), required("list_files"));
        assertEquals(List.of("pattern"), required("search_files"));
        assertEquals(List.of("command"), required("run_command"));
        assertEquals(List.of("text"), required("update_memory"));
    }

    @Test
    void onlyRunCommandAsksByDefault() {
        for (Tool tool : BuiltinTools.all()) {
            assertEquals(tool.name().equals("run_command"), tool.asksByDefault(Map.of()), tool.name());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> required(String tool) {
        return (List<Object>) BuiltinTools.find(tool).orElseThrow().spec().inputSchema().get("required");
    }
}
