package dev.loopwire.providers.cli;

import dev.loopwire.engine.spi.ProcessTracker;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.engine.spi.TurnRequest;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Installs the fake {@code claude} / {@code codex} test doubles into a bin directory. */
final class FakeCli {

    /** A planted secret: it must never show up in errors or logs. */
    static final String PLANTED_KEY = "sk-ant-api03-PLANTEDsecretVALUE0123456789";

    private FakeCli() {
    }

    static Path install(Path bin, String... names) throws Exception {
        Files.createDirectories(bin);
        for (String name : names) {
            try (InputStream in = FakeCli.class.getResourceAsStream("/fake-cli/" + name)) {
                Path target = bin.resolve(name);
                Files.copy(in, target);
                if (!target.toFile().setExecutable(true)) {
                    throw new IllegalStateException("cannot make " + target + " executable");
                }
            }
        }
        return bin;
    }

    static Map<String, String> env(Path bin, String mode) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", bin + ":/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", bin.getParent().toString());
        env.put("FAKE_MODE", mode);
        env.put("ANTHROPIC_API_KEY", PLANTED_KEY);
        return env;
    }

    static ProviderContext context(Path workspace, Map<String, String> env, ProcessTracker tracker) {
        return new ProviderContext(workspace, env, workspace.resolve("no-user-config"), tracker);
    }

    static TurnRequest request(Path workspace, String model) {
        return new TurnRequest("loop1", 1, 0, "You are in a loop.", "Write hello.txt.", List.of(), List.of(),
                model, null, Map.of(), workspace);
    }
}
