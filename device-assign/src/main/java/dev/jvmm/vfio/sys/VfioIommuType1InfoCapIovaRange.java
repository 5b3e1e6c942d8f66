package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.flexibleArray;
import static dev.jvmm.kvm.sys.Layouts.u32;

import dev.jvmm.kvm.sys.Layouts;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct vfio_iommu_type1_info_cap_iova_range} ({@code VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE},
 * version 1): the IOVA ranges a container accepts in {@code VFIO_IOMMU_MAP_DMA}, i.e. the IOMMU aperture
 * minus every non-relaxable reserved region of the attached groups. {@code nr_iovas}
 * {@link VfioIovaRange}s follow.
 */
public final class VfioIommuType1InfoCapIovaRange {

    public static final StructLayout LAYOUT = Layouts.struct("vfio_iommu_type1_info_cap_iova_range",
            VfioInfoCapHeader.LAYOUT.withName("header"),
            u32("nr_iovas"),
            u32("reserved"),
            flexibleArray("iova_ranges", VfioIovaRange.LAYOUT));

    public static final VarHandle NR_IOVAS = field(LAYOUT, "nr_iovas");
    public static final long IOVA_RANGES_OFFSET = LAYOUT.byteOffset(PathElement.groupElement("iova_ranges"));

    private VfioIommuType1InfoCapIovaRange() {}

    public static int nrIovas(MemorySegment s) { return (int) NR_IOVAS.get(s); }
    public static void setNrIovas(MemorySegment s, int v) { NR_IOVAS.set(s, v); }

    /** Range {@code index}, to be used with {@link VfioIovaRange}; bounds-checked against the segment. */
    public static MemorySegment iovaRange(MemorySegment s, int index) {
        return Layouts.flexibleEntry(s, IOVA_RANGES_OFFSET, VfioIovaRange.LAYOUT, index);
    }
}
