// Gradle build of the installable Loopwire plugin ZIP (IntelliJ Platform Gradle Plugin 2.x).
// Needs a machine that reaches JetBrains' repositories and Maven Central; the Maven build in
// the same folders compiles and tests everything it can without the IntelliJ SDK.
pluginManagement {
    repositories {
        gradlePluginPortal()
        mavenCentral()
    }
}

plugins {
    // lets Gradle download the JDK 21 toolchain (build.gradle.kts) when none is installed
    id("org.gradle.toolchains.foojay-resolver-convention") version "0.8.0"
}

rootProject.name = "loopwire-intellij"
