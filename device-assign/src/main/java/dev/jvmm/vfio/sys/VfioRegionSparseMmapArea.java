package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u64;

import dev.jvmm.kvm.sys.Layouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct vfio_region_sparse_mmap_area}: one mmap-able window of a region, as an offset within the
 * region and a size. Entry of {@link VfioRegionInfoCapSparseMmap}.
 */
public final class VfioRegionSparseMmapArea {

    public static final StructLayout LAYOUT = Layouts.struct("vfio_region_sparse_mmap_area",
            u64("offset"),
            u64("size"));

    public static final VarHandle OFFSET = field(LAYOUT, "offset");
    public static final VarHandle SIZE = field(LAYOUT, "size");

    private VfioRegionSparseMmapArea() {}

    public static long offset(MemorySegment s) { return (long) OFFSET.get(s); }
    public static void setOffset(MemorySegment s, long v) { OFFSET.set(s, v); }
    public static long size(MemorySegment s) { return (long) SIZE.get(s); }
    public static void setSize(MemorySegment s, long v) { SIZE.set(s, v); }
}
