package dev.loopwire.providers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.spi.ProcessTracker;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.engine.spi.ProviderRegistry;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.providers.scripted.ScriptedProviderFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Listing providers loads their factories only; a provider's classes load when it is created. */
@Timeout(10)
class LazyLoadingTest {

    @TempDir
    Path tmp;

    /** Loads this module's classes itself (child first) and records which it loaded. */
    static final class RecordingLoader extends URLClassLoader {
        final Set<String> loaded = ConcurrentHashMap.newKeySet();

        RecordingLoader(URL classes, ClassLoader parent) {
            super(new URL[] {classes}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.loopwire.providers.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                    loaded.add(name);
                }
                return c;
            }
        }
    }

    @Test
    void listingLoadsNoProviderClassUntilCreate() throws Exception {
        URL classes = ScriptedProviderFactory.class.getProtectionDomain().getCodeSource().getLocation();
        try (RecordingLoader loader = new RecordingLoader(classes, getClass().getClassLoader())) {
            ProviderRegistry registry = (ProviderRegistry) loader.loadClass(DefaultProviderRegistry.class.getName())
                    .getMethod("load", ClassLoader.class).invoke(null, loader);
            Files.writeString(tmp.resolve("turns.json"), "{\"turns\": [{\"text\": \"hi\"}]}");
            ProviderContext context = new ProviderContext(tmp, Map.of("PATH", "/usr/bin:/bin"), tmp, ProcessTracker.NONE);
            registry.list(context);
            registry.autoSelect(context);
            List<String> providerClasses = List.of(
                    "dev.loopwire.providers.scripted.internal.ScriptedProvider",
                    "dev.loopwire.providers.scripted.internal.Script",
                    "dev.loopwire.providers.cli.internal.AgentProvider",
                    "dev.loopwire.providers.cli.internal.CommandProvider",
                    "dev.loopwire.providers.cli.internal.ClaudeStreamParser",
                    "dev.loopwire.providers.cli.internal.CodexEventParser");
            for (String c : providerClasses) {
                assertFalse(loader.loaded.contains(c), c + " was loaded by list()");
            }
            assertTrue(loader.loaded.contains("dev.loopwire.providers.cli.ClaudeCodeProviderFactory"));

            registry.create(new ProviderSpec("scripted", null, Map.of("script", "turns.json")), context);
            assertTrue(loader.loaded.contains("dev.loopwire.providers.scripted.internal.ScriptedProvider"));
        }
    }
}
