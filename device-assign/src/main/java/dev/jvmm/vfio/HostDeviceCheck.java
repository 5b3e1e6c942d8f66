package dev.jvmm.vfio;

import dev.jvmm.pci.PciBdf;
import dev.jvmm.vfio.host.HostPciDevice;
import dev.jvmm.vfio.host.PciSysfs;

/**
 * The host-side preconditions of assigning one PCI function, checked in sysfs before VFIO is touched, so
 * that each failure names the device and the command that fixes it rather than an errno from deep in
 * the sequence.
 */
final class HostDeviceCheck {

    private HostDeviceCheck() {}

    /**
     * The device at {@code address}, after checking that it exists, is bound to vfio-pci and has an IOMMU
     * group.
     *
     * @throws VfioException naming the first precondition that fails and its fix
     */
    static HostPciDevice assignable(PciSysfs sysfs, PciBdf address) {
        HostPciDevice device = sysfs.device(address).orElseThrow(() -> new VfioException(
                "no PCI device " + address, "see lspci -D for the devices this host has"));
        if (!device.boundToVfioPci()) {
            throw new VfioException("device " + address + " (" + device.ids() + ") " + HostAdvice.driverState(device)
                    + ", not " + HostPciDevice.VFIO_PCI, HostAdvice.bindToVfioPci(device));
        }
        if (device.iommuGroup().isEmpty()) {
            throw new VfioException("device " + address + " has no IOMMU group: the host kernel runs without an"
                    + " IOMMU", HostAdvice.ENABLE_IOMMU);
        }
        return device;
    }
}
