package dev.loopwire.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The engine is the loop core: no transport, no HTTP, no JSON-RPC, and it starts no processes
 * itself (commands go through the {@code CommandRunner} SPI, implemented in providers/).
 */
class EngineArchitectureTest {

    /** The engine's main classes only (its own output directory or jar, not the whole class path). */
    private static final JavaClasses ENGINE = new ClassFileImporter()
            .importPath(mainClasses());

    private static java.nio.file.Path mainClasses() {
        // Rules match on names; resolving every referenced JDK class from the class path is slow.
        com.tngtech.archunit.ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
        try {
            return java.nio.file.Path.of(LoopEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static final ArchRule noTransportHttpOrProcessLibraries = noClasses()
            .that().resideInAPackage("dev.loopwire.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("okhttp3..", "org.apache.commons.exec..",
                    "org.eclipse.lsp4j..", "com.google.gson..", "java.net.http..")
            .because("the engine has no transport, HTTP or process-library code (ARCHITECTURE.md)");

    static final ArchRule startsNoProcesses = noClasses()
            .that().resideInAPackage("dev.loopwire.engine..")
            .should().dependOnClassesThat().haveFullyQualifiedName(ProcessBuilder.class.getName())
            .orShould().callMethod(Runtime.class, "exec", String.class)
            .orShould().callMethod(Runtime.class, "exec", String[].class)
            .orShould().callMethod(Runtime.class, "exec", String.class, String[].class)
            .orShould().callMethod(Runtime.class, "exec", String[].class, String[].class)
            .orShould().callMethod(Runtime.class, "exec", String[].class, String[].class, java.io.File.class)
            .orShould().callMethod(Runtime.class, "exec", String.class, String[].class, java.io.File.class)
            .because("commands run through the CommandRunner SPI, which kills process trees on cancel");

    static final ArchRule publicApiDoesNotLeakInternals = noClasses()
            .that().resideInAnyPackage("dev.loopwire.engine", "dev.loopwire.engine.spi")
            .and().doNotHaveFullyQualifiedName(LoopEngine.class.getName()) // its create() names the implementation
            .should().dependOnClassesThat().resideInAPackage("dev.loopwire.engine.internal..")
            .allowEmptyShould(true)
            .because("the public API and SPI are implemented in .internal, never the other way round");

    @Test
    void engineHasNoTransportHttpOrProcessLibraries() {
        noTransportHttpOrProcessLibraries.check(ENGINE);
    }

    @Test
    void engineStartsNoProcessesItself() {
        startsNoProcesses.check(ENGINE);
    }

    @Test
    void publicApiAndSpiDependOnNoInternals() {
        publicApiDoesNotLeakInternals.check(ENGINE);
    }
}
