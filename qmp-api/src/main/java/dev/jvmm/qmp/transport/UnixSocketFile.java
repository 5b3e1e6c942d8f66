package dev.jvmm.qmp.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The file system side of a listening UNIX socket: before bind, make room (remove a stale socket, refuse
 * anything else); after bind, restrict it to the owner (mode 0600); on close, remove it.
 */
final class UnixSocketFile {

    /** {@code S_IFMT} and {@code S_IFSOCK} from sys/stat.h. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path path;

    private UnixSocketFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /**
     * Checks that a server may bind {@code path}: its directory exists, and whatever is at the path is a
     * socket nobody listens on any more, which is then removed.
     */
    static UnixSocketFile prepare(Path path) throws IOException {
        Path dir = path.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("cannot create QMP socket " + path + ": directory " + dir
                    + " does not exist; create it or choose another path");
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return new UnixSocketFile(path);
        }
        if (!isSocket(path)) {
            throw new IOException("cannot create QMP socket " + path + ": a file that is not a socket is in the"
                    + " way; remove it or choose another path");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new IOException("cannot create QMP socket " + path + ": another server is listening on it;"
                    + " stop that server or choose another path");
        } catch (ConnectException refused) {
            // Nobody listens: a socket left behind by a server that died. Replace it.
            Files.deleteIfExists(path);
            return new UnixSocketFile(path);
        }
    }

    /** Restricts the bound socket to its owner. */
    void restrictToOwner() throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    }

    /** Removes the socket if it is still a socket (never another file that replaced it). */
    void delete() throws IOException {
        try {
            if (isSocket(path)) {
                Files.deleteIfExists(path);
            }
        } catch (NoSuchFileException gone) {
            // Already removed: nothing to do.
        }
    }

    static boolean isSocket(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & S_IFMT) == S_IFSOCK;
    }
}
