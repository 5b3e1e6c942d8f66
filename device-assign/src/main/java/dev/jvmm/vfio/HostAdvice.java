package dev.jvmm.vfio;

import dev.jvmm.pci.PciBdf;
import dev.jvmm.vfio.host.HostPciDevice;
import dev.jvmm.vfio.host.IommuGroupId;

/**
 * The shell commands that fix host set-up problems, written once so every message gives the same advice.
 * Paths are the host's own ({@code /sys/...}), whatever root the sysfs reader was given.
 */
final class HostAdvice {

    static final String ENABLE_IOMMU = "enable VT-d/AMD-Vi in the firmware and boot the host with intel_iommu=on"
            + " (Intel) or amd_iommu=on (AMD)";

    private HostAdvice() {}

    /** The commands that move {@code device} from its current driver (if any) to vfio-pci. */
    static String bindToVfioPci(HostPciDevice device) {
        PciBdf a = device.address();
        String unbind = device.driver().isPresent()
                ? "echo " + a + " > /sys/bus/pci/devices/" + a + "/driver/unbind; "
                : "";
        return unbind + "echo vfio-pci > /sys/bus/pci/devices/" + a + "/driver_override; echo " + a
                + " > /sys/bus/pci/drivers_probe";
    }

    /** "bound to nvme" or "has no driver". */
    static String driverState(HostPciDevice device) {
        return device.driver().map(d -> "is bound to " + d).orElse("has no driver");
    }

    static String lsof(IommuGroupId group) {
        return "find it with `lsof /dev/vfio/" + group + "`";
    }

    /** "512 MiB" for whole MiB, else the byte count. */
    static String size(long bytes) {
        if (bytes >= (1L << 30) && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= (1L << 20) && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= (1L << 10) && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }
}
