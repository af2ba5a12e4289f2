// Builds the installable plugin ZIP (build/distributions/loopwire-intellij-<version>.zip):
//
//   mvn -B -pl server -am package -DskipTests     # first, from the repository root: the server jar
//   cd intellij-plugin && gradle buildPlugin        # then this (Gradle 8.x, JDK 21)
//
// The ZIP bundles the plugin's own classes (core + adapter, compiled here from the Maven
// modules' sources), the protocol module (compiled from ../protocol), lsp4j-jsonrpc and gson,
// and the server jar as <plugin>/server/loopwire.jar, where the core finds it at run time.
// The IntelliJ Platform API stubs in sdk-stubs/ are NOT used here: this build compiles against
// the real platform.

plugins {
    java
    id("org.jetbrains.intellij.platform") version "2.5.0"
}

group = providers.gradleProperty("pluginGroup").get()
version = providers.gradleProperty("pluginVersion").get()

// The 2024.2+ platform is Java 21 bytecode; javac --release 17 cannot read it.
java {
    toolchain {
        languageVersion = JavaLanguageVersion.of(21)
    }
}

repositories {
    mavenCentral()
    intellijPlatform {
        defaultRepositories()
    }
}

sourceSets {
    main {
        java.setSrcDirs(listOf("core/src/main/java", "adapter/src/main/java", "../protocol/src/main/java"))
        resources.setSrcDirs(listOf("core/src/main/resources", "adapter/src/main/resources"))
    }
    test {
        java.setSrcDirs(emptyList<String>())
        resources.setSrcDirs(emptyList<String>())
    }
}

dependencies {
    implementation("org.eclipse.lsp4j:org.eclipse.lsp4j.jsonrpc:${providers.gradleProperty("lsp4jVersion").get()}")
    implementation("com.google.code.gson:gson:${providers.gradleProperty("gsonVersion").get()}")

    intellijPlatform {
        intellijIdeaCommunity(providers.gradleProperty("platformVersion"))
    }
}

intellijPlatform {
    // Searchable options need a running IDE; the settings page is small enough without them.
    buildSearchableOptions = false

    pluginConfiguration {
        id = "dev.loopwire.intellij"
        name = "Loopwire"
        version = providers.gradleProperty("pluginVersion")
        ideaVersion {
            sinceBuild = providers.gradleProperty("pluginSinceBuild")
            untilBuild = provider { null }
        }
    }
}

val serverJar = layout.projectDirectory.file("../server/target/loopwire.jar")

tasks {
    withType<JavaCompile> {
        options.encoding = "UTF-8"
        options.release = 21
    }

    prepareSandbox {
        doFirst {
            require(serverJar.asFile.isFile) {
                "The server jar ${serverJar.asFile} is missing. Build it first, from the repository root: " +
                    "mvn -B -pl server -am package -DskipTests"
            }
        }
        from(serverJar) {
            into(pluginName.map { "$it/server" })
        }
    }
}
