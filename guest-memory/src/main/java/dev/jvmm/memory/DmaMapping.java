package dev.jvmm.memory;

import java.util.Objects;

/**
 * One {@code VFIO_IOMMU_MAP_DMA} to issue: the guest RAM in {@code gpa} becomes reachable by assigned
 * devices at IOVAs from {@code iova}, over {@code gpa.length()} bytes.
 */
public record DmaMapping(Iova iova, GpaRange gpa) {

    public DmaMapping {
        Objects.requireNonNull(iova, "iova");
        Objects.requireNonNull(gpa, "gpa");
        RangeMath.last("DmaMapping", iova.value(), gpa.length());
    }

    public IovaRange iovaRange() {
        return IovaRange.of(iova, gpa.length());
    }
}
