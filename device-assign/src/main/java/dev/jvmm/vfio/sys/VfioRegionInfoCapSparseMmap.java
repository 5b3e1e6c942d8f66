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
 * {@code struct vfio_region_info_cap_sparse_mmap} ({@code VFIO_REGION_INFO_CAP_SPARSE_MMAP}, version 1):
 * the only parts of a region that may be mmap'ed, typically a BAR minus the page holding its MSI-X table.
 * {@code nr_areas} {@link VfioRegionSparseMmapArea}s follow the header.
 */
public final class VfioRegionInfoCapSparseMmap {

    public static final StructLayout LAYOUT = Layouts.struct("vfio_region_info_cap_sparse_mmap",
            VfioInfoCapHeader.LAYOUT.withName("header"),
            u32("nr_areas"),
            u32("reserved"),
            flexibleArray("areas", VfioRegionSparseMmapArea.LAYOUT));

    public static final VarHandle NR_AREAS = field(LAYOUT, "nr_areas");
    public static final long AREAS_OFFSET = LAYOUT.byteOffset(PathElement.groupElement("areas"));

    private VfioRegionInfoCapSparseMmap() {}

    /** Number of areas the kernel reported. */
    public static int nrAreas(MemorySegment s) { return (int) NR_AREAS.get(s); }
    public static void setNrAreas(MemorySegment s, int v) { NR_AREAS.set(s, v); }

    /** Area {@code index}, to be used with {@link VfioRegionSparseMmapArea}; bounds-checked against the segment. */
    public static MemorySegment area(MemorySegment s, int index) {
        return Layouts.flexibleEntry(s, AREAS_OFFSET, VfioRegionSparseMmapArea.LAYOUT, index);
    }
}
