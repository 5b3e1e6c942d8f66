package dev.jvmm.memory;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why the host IOMMU keeps an IOVA range from VFIO mappings: the types the kernel writes to
 * {@code /sys/kernel/iommu_groups/N/reserved_regions} ({@code enum iommu_resv_type}), plus
 * {@link #OUTSIDE_VALID_RANGES} for addresses missing from VFIO's list of valid IOVA ranges.
 */
public enum ReservedRegionType {
    /** Firmware-required identity mapping (an Intel RMRR): the device may DMA there at any time. */
    DIRECT("direct", true),
    /**
     * An identity mapping the device needs only until its driver takes over (USB, graphics RMRRs).
     * VFIO type1 does not exclude these from its valid IOVA ranges, so guest RAM may cover them.
     */
    DIRECT_RELAXABLE("direct-relaxable", false),
    /** Addresses the IOMMU cannot translate (e.g. HyperTransport on AMD). */
    RESERVED("reserved", true),
    /** The hardware MSI doorbell window (0xfee00000-0xfeefffff on x86). */
    MSI("msi", true),
    /**
     * A software-managed MSI window (ARM SMMU). Kernels print it as {@code msi}; a later kernel
     * change names it {@code sw-msi}, which the parser accepts too.
     */
    SW_MSI("sw-msi", true),
    /** Not inside any range the VFIO IOVA-range capability reports as valid. */
    OUTSIDE_VALID_RANGES("outside-valid-ranges", true);

    private final String sysfsName;
    private final boolean blocksDma;

    ReservedRegionType(String sysfsName, boolean blocksDma) {
        this.sysfsName = sysfsName;
        this.blocksDma = blocksDma;
    }

    /** The word the kernel writes in {@code reserved_regions}. */
    public String sysfsName() {
        return sysfsName;
    }

    /** Whether VFIO refuses to DMA-map guest RAM over a region of this type. */
    public boolean blocksDma() {
        return blocksDma;
    }

    public boolean isMsi() {
        return this == MSI || this == SW_MSI;
    }

    static Optional<ReservedRegionType> fromSysfs(String word) {
        return Arrays.stream(values())
                .filter(t -> t != OUTSIDE_VALID_RANGES && t.sysfsName.equals(word))
                .findFirst();
    }
}
