package dev.jvmm.vfio.kernel;

import dev.jvmm.memory.Hva;

/**
 * Part of a device region mmap'ed into this process ({@link VfioKernel#mmap}), e.g. a BAR to hand to KVM
 * as a memory slot so that guest accesses reach the device without exits. Owned: closing unmaps it; the
 * KVM memory slot using it must be removed first.
 */
public interface RegionMapping extends AutoCloseable {

    /** Where the mapping starts in this process. */
    Hva hva();

    long length();

    boolean isOpen();

    @Override
    void close();
}
