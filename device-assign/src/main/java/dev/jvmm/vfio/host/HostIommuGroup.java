package dev.jvmm.vfio.host;

import dev.jvmm.memory.ReservedIovaRegion;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What sysfs says about one IOMMU group ({@code /sys/kernel/iommu_groups/<id>}): its optional
 * {@code name}, every device in it (from {@code devices/}), sorted by address, and the IOVA ranges its
 * IOMMU reserves ({@code reserved_regions}; empty on kernels without that file).
 */
public record HostIommuGroup(IommuGroupId id, Optional<String> name, List<HostPciDevice> devices,
                             List<ReservedIovaRegion> reservedRegions) {

    /** The name VFIO gives a group it made up for a device with no IOMMU ({@code vfio.enable_unsafe_noiommu_mode}). */
    public static final String NOIOMMU_NAME = "vfio-noiommu";

    public HostIommuGroup {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        devices = List.copyOf(devices);
        reservedRegions = List.copyOf(reservedRegions);
    }

    /** Whether VFIO made this group up in no-IOMMU mode: no translation and no isolation behind it. */
    public boolean noIommu() {
        return name.filter(NOIOMMU_NAME::equals).isPresent();
    }

    /** The devices that keep the group from being viable (see {@link HostPciDevice#blocksViability()}). */
    public List<HostPciDevice> devicesBlockingViability() {
        return devices.stream().filter(HostPciDevice::blocksViability).toList();
    }
}
