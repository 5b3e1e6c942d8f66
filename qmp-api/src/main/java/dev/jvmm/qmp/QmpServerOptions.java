package dev.jvmm.qmp;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the QMP server runs.
 *
 * @param endpoint where it listens
 * @param maxClients how many connections may be open at once; one more gets an error line and is closed
 * @param maxMessageBytes the largest request accepted; a longer one is answered with a GenericError and
 *     skipped, and the connection stays usable
 * @param version what the greeting and {@code query-version} announce
 */
public record QmpServerOptions(QmpEndpoint endpoint, int maxClients, int maxMessageBytes, QmpVersion version) {

    public static final int DEFAULT_MAX_CLIENTS = 16;
    /**
     * 1 MiB. QEMU allows 64 MiB, but no command here takes more than a few hundred bytes of arguments,
     * and every connection may buffer one message of this size.
     */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;
    /** The smallest limit accepted: enough for any command this server knows. */
    public static final int MIN_MAX_MESSAGE_BYTES = 256;

    public QmpServerOptions {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(version, "version");
        if (maxClients < 1) {
            throw new IllegalArgumentException("maxClients is " + maxClients + "; it must be at least 1");
        }
        if (maxMessageBytes < MIN_MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("maxMessageBytes is " + maxMessageBytes + "; it must be at least "
                    + MIN_MAX_MESSAGE_BYTES);
        }
    }

    /** Defaults on a UNIX socket at {@code path}. */
    public static QmpServerOptions unixSocket(Path path) {
        return new QmpServerOptions(new QmpEndpoint.UnixSocket(path), DEFAULT_MAX_CLIENTS,
                DEFAULT_MAX_MESSAGE_BYTES, QmpVersion.JVMM);
    }

    public QmpServerOptions withEndpoint(QmpEndpoint value) {
        return new QmpServerOptions(value, maxClients, maxMessageBytes, version);
    }

    public QmpServerOptions withMaxClients(int value) {
        return new QmpServerOptions(endpoint, value, maxMessageBytes, version);
    }

    public QmpServerOptions withMaxMessageBytes(int value) {
        return new QmpServerOptions(endpoint, maxClients, value, version);
    }

    public QmpServerOptions withVersion(QmpVersion value) {
        return new QmpServerOptions(endpoint, maxClients, maxMessageBytes, value);
    }
}
