package dev.loopwire.server.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Unix domain socket {@code <workspace>/.loopwire/server.sock} (mode 0600) through which other
 * clients (a second editor, a script, the CLI's {@code approve}/{@code cancel}/{@code list}) reach
 * the running server. Each accepted connection is a full protocol connection that shares the
 * server's engine; it must {@code initialize} like any client.
 */
public final class SocketServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SocketServer.class.getName());

    /** Placeholder for a workspace that has no socket. */
    static final SocketServer NONE = new SocketServer(null, null, null);

    private final ServerCore core;
    private final ServerSocketChannel channel;
    private final Path path;
    private volatile boolean closed;

    private SocketServer(ServerCore core, ServerSocketChannel channel, Path path) {
        this.core = core;
        this.channel = channel;
        this.path = path;
    }

    /**
     * Binds the workspace's socket and starts accepting. Fails when another live server already
     * listens there; a stale socket file (left by a killed server) is replaced.
     */
    public static SocketServer bind(ServerCore core, Path workspace) throws IOException {
        Path socket = UnixSockets.socketPath(workspace);
        Files.createDirectories(socket.getParent());
        if (Files.exists(socket)) {
            if (UnixSockets.isLive(socket)) {
                throw new IOException("another Loopwire server already listens on " + socket);
            }
            Files.deleteIfExists(socket);
        }
        // Bind inside a private directory, restrict the socket, then move it into place, so that
        // nobody else can connect in between.
        Path dir = Files.createTempDirectory(socket.getParent(), "sock",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path tmp = dir.resolve("s");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(tmp));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, socket, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(dir);
        }
        SocketServer s = new SocketServer(core, server, socket);
        Thread accept = new Thread(s::acceptLoop, "loopwire-socket-" + workspace.getFileName());
        accept.setDaemon(true);
        accept.start();
        LOG.info(() -> "listening on " + socket);
        return s;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "socket accept failed", e);
                }
                return;
            }
            Connection.open(core, new BufferedInputStream(UnixSockets.in(client)), UnixSockets.out(client), false,
                    () -> {
                        try {
                            client.close();
                        } catch (IOException e) {
                            LOG.log(Level.FINE, "close", e);
                        }
                    });
        }
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "close", e);
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(Level.FINE, "delete socket", e);
        }
    }
}
