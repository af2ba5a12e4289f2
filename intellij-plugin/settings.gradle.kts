// Gradle build of the installable Loopwire plugin ZIP (IntelliJ Platform Gradle Plugin 2.x).
// Needs a machine that reaches JetBrains' repositories and Maven Central; the Maven build in
// the same folders compiles and tests everything it can without the IntelliJ SDK.
rootProject.name = "loopwire-intellij"

pluginManagement {
    repositories {
        gradlePluginPortal()
        mavenCentral()
    }
}
