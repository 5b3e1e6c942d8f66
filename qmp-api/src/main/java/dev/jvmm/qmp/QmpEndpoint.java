package dev.jvmm.qmp;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the QMP server listens: a UNIX domain socket (the normal case), or TCP when explicitly asked for.
 * QMP has no authentication, so a TCP endpoint must be a loopback address unless the caller says
 * {@code allowNonLoopback}.
 */
public sealed interface QmpEndpoint {

    /**
     * A UNIX domain socket at {@code path}. The server creates it with mode 0600 (set right after bind),
     * replaces a stale socket left by a dead server, refuses to touch anything else at that path, and
     * deletes the socket when it closes.
     */
    record UnixSocket(Path path) implements QmpEndpoint {
        /** {@code sizeof(sun_path)} minus the terminating NUL. */
        public static final int MAX_PATH_BYTES = 107;

        public UnixSocket {
            path = Objects.requireNonNull(path, "path").toAbsolutePath().normalize();
            int bytes = path.toString().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_PATH_BYTES) {
                throw new IllegalArgumentException("QMP socket path " + path + " is " + bytes
                        + " bytes long; a UNIX socket path holds at most " + MAX_PATH_BYTES
                        + ": choose a shorter path (e.g. under /run or /tmp)");
            }
        }

        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    /**
     * A TCP socket on {@code host} (an IP literal or {@code localhost}) and {@code port} (0 picks a free
     * one). A non-loopback host is refused unless {@code allowNonLoopback} is true.
     */
    record Tcp(String host, int port, boolean allowNonLoopback) implements QmpEndpoint {
        public Tcp {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("TCP port " + port + " is outside 0..65535");
            }
            if (!allowNonLoopback && !isLoopback(host)) {
                throw new IllegalArgumentException("QMP over TCP on " + host + " would accept unauthenticated"
                        + " control connections from the network; listen on a loopback address (127.0.0.1,"
                        + " ::1, localhost), use a UNIX socket, or set allowNonLoopback explicitly");
            }
        }

        /** TCP on 127.0.0.1. */
        public static Tcp loopback(int port) {
            return new Tcp("127.0.0.1", port, false);
        }

        private static boolean isLoopback(String host) {
            if (host.equals("localhost")) {
                return true;
            }
            try {
                return InetAddress.ofLiteral(host).isLoopbackAddress();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("QMP TCP host '" + host + "' is not an IP address literal"
                        + " or 'localhost'; name resolution is not done for the control socket", e);
            }
        }

        @Override
        public String toString() {
            return "tcp:" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
