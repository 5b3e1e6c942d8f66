package dev.jvmm.memory.sys;

/**
 * An open file descriptor, owned. Closes exactly once; {@link #raw()} is for {@code sys} packages filling
 * kernel structs and must not be stored elsewhere.
 */
public final class Fd implements AutoCloseable {
    private final int fd;
    private final String name;
    private volatile boolean closed;

    Fd(int fd, String name) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + fd + " (" + name + ")");
        }
        this.fd = fd;
        this.name = name;
    }

    /** Adopts a descriptor the kernel handed back from an ioctl (KVM_CREATE_VM, VFIO_GROUP_GET_DEVICE_FD...). */
    public static Fd adopt(int fd, String name) {
        return new Fd(fd, name);
    }

    /** The descriptor number, for kernel structs and calls in {@code sys} packages only. */
    public int raw() {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        return fd;
    }

    /** What this descriptor refers to, e.g. {@code /dev/kvm} or {@code vcpu 1}: used in error messages. */
    public String name() {
        return name;
    }

    public boolean isOpen() {
        return !closed;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Posix.close(fd, name);
    }

    @Override
    public String toString() {
        return "Fd[" + fd + " " + name + (closed ? ", closed]" : "]");
    }
}
