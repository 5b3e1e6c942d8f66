package dev.jvmm.memory;

/** One DMA mapping to give the IOMMU: {@code length} bytes of host memory at {@code hva} seen at {@code iova}. */
public record IommuMapping(Iova iova, Hva hva, long length) {
    public IommuMapping {
        if (length <= 0 || length % IommuPlan.IOMMU_PAGE != 0) {
            throw new IllegalArgumentException("IOMMU mapping length must be a positive multiple of 4 KiB, got " + length);
        }
    }

    public IovaRange iovaRange() {
        return IovaRange.of(iova, length);
    }
}
