package dev.loopwire.intellij.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCommandTest {

    @TempDir
    Path dir;

    @Test
    void bundledJarIsFoundInThePluginFolder() throws Exception {
        Path jar = Files.createDirectories(dir.resolve("server")).resolve("loopwire.jar");
        Files.writeString(jar, "not really a jar");
        ServerCommand cmd = ServerCommand.resolve(new ServerSettings("", "", "--log-level debug --name 'my ide'"),
                Map.of(), dir);
        assertEquals(jar, cmd.serverJar());
        List<String> argv = cmd.toArgv();
        assertEquals(List.of("-jar", jar.toString(), "serve", "--log-level", "debug", "--name", "my ide"),
                argv.subList(argv.size() - 7, argv.size()));
    }

    @Test
    void missingJarSaysWhereItLooked() {
        ServerLaunchException e = assertThrows(ServerLaunchException.class,
                () -> ServerCommand.resolve(ServerSettings.defaults(), Map.of("LOOPWIRE_SERVER_JAR", "/nope/x.jar"), dir));
        assertTrue(e.getMessage().contains("/nope/x.jar"), e.getMessage());
        assertTrue(e.getMessage().contains("Settings | Tools | Loopwire"), e.getMessage());
    }

    @Test
    void configuredJavaMustBeExecutable() {
        ServerLaunchException e = assertThrows(ServerLaunchException.class,
                () -> ServerCommand.findJava(dir.resolve("no-java").toString(), Map.of()));
        assertTrue(e.getMessage().contains("not an executable Java"), e.getMessage());
    }

    @Test
    void javaHomeFolderIsAccepted() {
        Path javaHome = Path.of(System.getProperty("java.home"));
        assertEquals(javaHome.resolve("bin").resolve("java"), ServerCommand.findJava(javaHome.toString(), Map.of()));
    }

    @Test
    void pluginFolderComesFromTheJarOfAClass() throws Exception {
        Path jar = Files.createDirectories(dir.resolve("loopwire/lib")).resolve("loopwire-intellij.jar");
        assertEquals(jar, ServerCommand.jarOf(new java.net.URL("jar:" + jar.toUri() + "!/dev/x/Y.class")));
        assertEquals(null, ServerCommand.jarOf(dir.resolve("Y.class").toUri().toURL()));
        // a class from a jar (JUnit's): its folder's parent
        Path junitJar = Path.of(Test.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertEquals(junitJar.getParent().getParent(), ServerCommand.pluginDirOf(Test.class));
    }

    @Test
    void unclosedQuoteInArgumentsIsAnError() {
        assertThrows(ServerLaunchException.class, () -> ArgSplitter.split("--name 'oops"));
    }
}
