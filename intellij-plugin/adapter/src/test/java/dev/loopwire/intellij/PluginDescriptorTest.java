package dev.loopwire.intellij;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.intellij.notifications.LoopwireNotifier;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * plugin.xml and the resource bundle agree with the code: every class plugin.xml names exists,
 * every action and group has its text in the bundle, every bundle key the code asks for exists,
 * and the notification groups the code uses are declared.
 */
class PluginDescriptorTest {

    private final ResourceBundle bundle = ResourceBundle.getBundle("messages.LoopwireBundle");

    private Document pluginXml() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/plugin.xml")) {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }

    private static List<Element> all(Document d) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = d.getElementsByTagName("*");
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    @Test
    void everyClassNamedInPluginXmlExists() throws Exception {
        int checked = 0;
        for (Element e : all(pluginXml())) {
            for (String attr : new String[] {"class", "factoryClass", "instance", "implementation"}) {
                String name = e.getAttribute(attr);
                if (!name.isEmpty()) {
                    assertDoesNotThrow(() -> Class.forName(name, false, getClass().getClassLoader()), name);
                    checked++;
                }
            }
        }
        assertEquals(10, checked, "tool window, configurable, status bar widget and 7 actions");
    }

    @Test
    void everyActionGroupAndKeyHasItsText() throws Exception {
        for (Element e : all(pluginXml())) {
            String id = e.getAttribute("id");
            if (e.getTagName().equals("action")) {
                assertTrue(bundle.containsKey("action." + id + ".text"), id);
                assertTrue(bundle.containsKey("action." + id + ".description"), id);
            } else if (e.getTagName().equals("group")) {
                assertTrue(bundle.containsKey("group." + id + ".text"), id);
            }
            String key = e.getAttribute("key");
            if (!key.isEmpty()) {
                assertTrue(bundle.containsKey(key), key);
            }
        }
    }

    @Test
    void notificationGroupsUsedByTheCodeAreDeclared() throws Exception {
        Set<String> declared = new HashSet<>();
        NodeList groups = pluginXml().getElementsByTagName("notificationGroup");
        for (int i = 0; i < groups.getLength(); i++) {
            declared.add(((Element) groups.item(i)).getAttribute("id"));
        }
        assertEquals(Set.of(LoopwireNotifier.APPROVALS, LoopwireNotifier.SERVER, LoopwireNotifier.ERRORS), declared);
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            if (!g.getAttribute("id").equals(LoopwireNotifier.ERRORS)) {
                assertEquals("STICKY_BALLOON", g.getAttribute("displayType"), g.getAttribute("id"));
            }
        }
    }

    @Test
    void everyBundleKeyTheCodeAsksForExists() throws Exception {
        Pattern call = Pattern.compile("LoopwireBundle\\.message\\(\"([^\"]+)\"\\s*[,)]");
        int found = 0;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = call.matcher(Files.readString(f));
                while (m.find()) {
                    assertTrue(bundle.containsKey(m.group(1)), m.group(1) + " in " + f);
                    found++;
                }
            }
        }
        assertFalse(found < 15, "found only " + found + " bundle lookups");
    }
}
