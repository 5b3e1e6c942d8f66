package dev.jvmm.vfio.kernel;

/**
 * An open kernel object obtained through {@link VfioKernel}: the container, a group, a device, the KVM-VFIO
 * pseudo-device. Owned: closing it closes the file descriptor behind it, exactly once. The descriptor
 * itself never leaves the implementation; a handle is only meaningful to the {@link VfioKernel} that made it.
 */
public interface KernelHandle extends AutoCloseable {

    /** What the handle refers to, for messages: {@code /dev/vfio/vfio}, {@code /dev/vfio/26}, {@code 0000:06:0d.0}. */
    String name();

    boolean isOpen();

    /** Closes the descriptor; a second call does nothing. */
    @Override
    void close();
}
