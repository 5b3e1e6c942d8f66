package dev.jvmm.vfio.kernel;

import dev.jvmm.memory.ValidIovaRange;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code VFIO_IOMMU_GET_INFO}'s answer for a type1 container: the IOMMU page sizes, and the two
 * capabilities the attach sequence uses.
 *
 * @param pageSizes   bitmap of supported IOMMU page sizes (bit n: 2^n bytes); 0 when the kernel did not
 *                    report {@code VFIO_IOMMU_INFO_PGSIZES}
 * @param validRanges the IOVA ranges the container can map ({@code VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE},
 *                    merged over every group attached), empty when the kernel has no such capability
 * @param dmaAvail    how many more DMA mappings the container accepts
 *                    ({@code VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL}, bounded by vfio_iommu_type1's
 *                    {@code dma_entry_limit}), empty when not reported
 */
public record IommuInfo(long pageSizes, Optional<List<ValidIovaRange>> validRanges, OptionalLong dmaAvail) {

    /** Assumed when the kernel reports no page sizes: every IOMMU maps 4 KiB pages. */
    public static final long DEFAULT_PAGE = 4096;

    public IommuInfo {
        Objects.requireNonNull(validRanges, "validRanges");
        Objects.requireNonNull(dmaAvail, "dmaAvail");
        validRanges = validRanges.map(List::copyOf);
    }

    /** The smallest IOMMU page: every DMA mapping's IOVA, address and size must be a multiple of it. */
    public long minPageSize() {
        return pageSizes == 0 ? DEFAULT_PAGE : Long.lowestOneBit(pageSizes);
    }
}
