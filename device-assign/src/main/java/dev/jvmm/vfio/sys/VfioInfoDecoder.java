package dev.jvmm.vfio.sys;

import static dev.jvmm.vfio.sys.VfioConstants.VFIO_IOMMU_INFO_CAPS;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_IOMMU_INFO_PGSIZES;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_REGION_INFO_CAP_MSIX_MAPPABLE;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_REGION_INFO_CAP_SPARSE_MMAP;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_REGION_INFO_CAP_TYPE;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_REGION_INFO_FLAG_CAPS;

import dev.jvmm.memory.ValidIovaRange;
import dev.jvmm.vfio.kernel.IommuInfo;
import dev.jvmm.vfio.kernel.RegionInfo;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns the buffers INFO ioctls fill into {@code dev.jvmm.vfio.kernel} records: the fixed struct and the
 * capabilities of its chain that device assignment uses. Unknown capabilities are skipped, as the kernel
 * documentation asks; a malformed chain throws ({@link VfioCapChain}).
 */
public final class VfioInfoDecoder {

    private VfioInfoDecoder() {}

    /** A filled {@code struct vfio_iommu_type1_info} buffer. */
    public static IommuInfo iommuInfo(MemorySegment info) {
        int flags = VfioIommuType1Info.flags(info);
        long pageSizes = (flags & VFIO_IOMMU_INFO_PGSIZES) != 0 ? VfioIommuType1Info.iovaPgsizes(info) : 0;
        Optional<List<ValidIovaRange>> ranges = Optional.empty();
        OptionalLong dmaAvail = OptionalLong.empty();
        if ((flags & VFIO_IOMMU_INFO_CAPS) != 0) {
            for (VfioCapChain.Cap cap : VfioCapChain.walk(info, VfioIommuType1Info.capOffset(info))) {
                if (cap.id() == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
                    MemorySegment c = VfioCapChain.slice(info, cap, VfioIommuType1InfoCapIovaRange.LAYOUT);
                    List<ValidIovaRange> list = new ArrayList<>();
                    for (int i = 0; i < VfioIommuType1InfoCapIovaRange.nrIovas(c); i++) {
                        MemorySegment r = VfioIommuType1InfoCapIovaRange.iovaRange(c, i);
                        list.add(ValidIovaRange.of(VfioIovaRange.start(r), VfioIovaRange.end(r)));
                    }
                    ranges = Optional.of(List.copyOf(list));
                } else if (cap.id() == VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL) {
                    MemorySegment c = VfioCapChain.slice(info, cap, VfioIommuType1InfoDmaAvail.LAYOUT);
                    dmaAvail = OptionalLong.of(Integer.toUnsignedLong(VfioIommuType1InfoDmaAvail.avail(c)));
                }
            }
        }
        return new IommuInfo(pageSizes, ranges, dmaAvail);
    }

    /** A filled {@code struct vfio_region_info} buffer. */
    public static RegionInfo regionInfo(MemorySegment info) {
        int flags = VfioRegionInfo.flags(info);
        Optional<List<RegionInfo.Area>> sparse = Optional.empty();
        Optional<RegionInfo.Type> type = Optional.empty();
        boolean msixMappable = false;
        if ((flags & VFIO_REGION_INFO_FLAG_CAPS) != 0) {
            for (VfioCapChain.Cap cap : VfioCapChain.walk(info, VfioRegionInfo.capOffset(info))) {
                switch (cap.id()) {
                    case VFIO_REGION_INFO_CAP_SPARSE_MMAP -> {
                        MemorySegment c = VfioCapChain.slice(info, cap, VfioRegionInfoCapSparseMmap.LAYOUT);
                        List<RegionInfo.Area> areas = new ArrayList<>();
                        for (int i = 0; i < VfioRegionInfoCapSparseMmap.nrAreas(c); i++) {
                            MemorySegment a = VfioRegionInfoCapSparseMmap.area(c, i);
                            areas.add(new RegionInfo.Area(VfioRegionSparseMmapArea.offset(a),
                                    VfioRegionSparseMmapArea.size(a)));
                        }
                        sparse = Optional.of(List.copyOf(areas));
                    }
                    case VFIO_REGION_INFO_CAP_TYPE -> {
                        MemorySegment c = VfioCapChain.slice(info, cap, VfioRegionInfoCapType.LAYOUT);
                        type = Optional.of(new RegionInfo.Type(VfioRegionInfoCapType.type(c),
                                VfioRegionInfoCapType.subtype(c)));
                    }
                    case VFIO_REGION_INFO_CAP_MSIX_MAPPABLE -> msixMappable = true;
                    default -> { }
                }
            }
        }
        return new RegionInfo(VfioRegionInfo.index(info), flags, VfioRegionInfo.size(info),
                VfioRegionInfo.offset(info), sparse, type, msixMappable);
    }
}
