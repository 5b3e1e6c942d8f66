package dev.jvmm.vfio.host;

import dev.jvmm.pci.PciBdf;
import java.util.Objects;
import java.util.Optional;

/**
 * What sysfs says about one host PCI function ({@code /sys/bus/pci/devices/<address>}): its IDs, the
 * driver it is bound to (the {@code driver} link's target name, empty when unbound) and its IOMMU group
 * (the {@code iommu_group} link's target, empty when the host has no IOMMU for it).
 */
public record HostPciDevice(PciBdf address, int vendorId, int deviceId, int classCode, Optional<String> driver,
                            Optional<IommuGroupId> iommuGroup) {

    /** The driver VFIO device assignment needs. */
    public static final String VFIO_PCI = "vfio-pci";
    /**
     * The one other driver VFIO accepts in a viable group: pci-stub claims a device so that no host driver
     * does, without giving it to anyone.
     */
    public static final String PCI_STUB = "pci-stub";

    public HostPciDevice {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(iommuGroup, "iommuGroup");
    }

    public boolean boundToVfioPci() {
        return driver.filter(VFIO_PCI::equals).isPresent();
    }

    /**
     * Whether this device keeps its IOMMU group from being viable: VFIO lets a group be used only when
     * every device in it is bound to a VFIO driver, to pci-stub or to none, because a host driver could
     * otherwise DMA through the same IOMMU context as the guest's device.
     */
    public boolean blocksViability() {
        return driver.filter(d -> !d.equals(VFIO_PCI) && !d.equals(PCI_STUB)).isPresent();
    }

    /** {@code 1234:11e8}. */
    public String ids() {
        return String.format("%04x:%04x", vendorId, deviceId);
    }
}
