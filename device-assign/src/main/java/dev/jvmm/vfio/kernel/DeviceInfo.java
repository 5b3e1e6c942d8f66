package dev.jvmm.vfio.kernel;

import dev.jvmm.vfio.sys.VfioConstants;

/** {@code VFIO_DEVICE_GET_INFO}'s answer: {@code VFIO_DEVICE_FLAGS_*} and how many regions and IRQ indexes. */
public record DeviceInfo(int flags, int numRegions, int numIrqs) {

    /** {@code VFIO_DEVICE_RESET} works on this device. */
    public boolean canReset() {
        return (flags & VfioConstants.VFIO_DEVICE_FLAGS_RESET) != 0;
    }

    /** A vfio-pci device: regions and IRQs follow the {@code VFIO_PCI_*_INDEX} numbering. */
    public boolean isPci() {
        return (flags & VfioConstants.VFIO_DEVICE_FLAGS_PCI) != 0;
    }
}
