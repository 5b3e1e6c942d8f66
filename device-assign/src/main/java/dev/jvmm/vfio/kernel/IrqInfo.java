package dev.jvmm.vfio.kernel;

import dev.jvmm.vfio.sys.VfioConstants;

/** {@code VFIO_DEVICE_GET_IRQ_INFO}'s answer: {@code VFIO_IRQ_INFO_*} flags and the number of vectors. */
public record IrqInfo(int index, int flags, int count) {

    /** Vectors can be signalled through eventfds. */
    public boolean eventfd() {
        return (flags & VfioConstants.VFIO_IRQ_INFO_EVENTFD) != 0;
    }

    public boolean maskable() {
        return (flags & VfioConstants.VFIO_IRQ_INFO_MASKABLE) != 0;
    }

    /** The kernel masks the vector when it fires (level-triggered INTx): unmask after handling. */
    public boolean automasked() {
        return (flags & VfioConstants.VFIO_IRQ_INFO_AUTOMASKED) != 0;
    }

    /** Enabling more vectors needs disabling all of them first (MSI). */
    public boolean noResize() {
        return (flags & VfioConstants.VFIO_IRQ_INFO_NORESIZE) != 0;
    }
}
