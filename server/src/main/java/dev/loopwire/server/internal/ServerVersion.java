package dev.loopwire.server.internal;

/** The server's version, from the jar manifest (a development build says so). */
public final class ServerVersion {

    private ServerVersion() {
    }

    public static String get() {
        String v = ServerVersion.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT (dev)" : v;
    }
}
