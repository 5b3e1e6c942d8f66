package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Layouts.U8;
import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.flexibleArray;
import static dev.jvmm.kvm.sys.Layouts.u32;
import static dev.jvmm.kvm.sys.Layouts.u64;

import dev.jvmm.kvm.sys.Layouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct vfio_iommu_type1_dma_unmap}, the argument of {@code VFIO_IOMMU_UNMAP_DMA}: unmaps
 * {@code [iova, iova + size)}; on return {@code size} holds the bytes actually unmapped. {@code data[]}
 * carries a {@code struct vfio_bitmap} only with {@code VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP}, which this
 * project does not use, so {@link #allocate} gives none.
 */
public final class VfioIommuType1DmaUnmap {

    public static final StructLayout LAYOUT = Layouts.struct("vfio_iommu_type1_dma_unmap",
            u32("argsz"),
            u32("flags"),
            u64("iova"),
            u64("size"),
            flexibleArray("data", U8));

    public static final VarHandle ARGSZ = field(LAYOUT, "argsz");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle IOVA = field(LAYOUT, "iova");
    public static final VarHandle SIZE = field(LAYOUT, "size");

    private VfioIommuType1DmaUnmap() {}

    /** A zeroed struct without {@code data[]}, {@code argsz} set to its size. */
    public static MemorySegment allocate(Arena arena) {
        MemorySegment s = arena.allocate(LAYOUT);
        setArgsz(s, (int) LAYOUT.byteSize());
        return s;
    }

    public static int argsz(MemorySegment s) { return (int) ARGSZ.get(s); }
    public static void setArgsz(MemorySegment s, int v) { ARGSZ.set(s, v); }
    /** {@code VFIO_DMA_UNMAP_FLAG_*}. */
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
    public static long iova(MemorySegment s) { return (long) IOVA.get(s); }
    public static void setIova(MemorySegment s, long v) { IOVA.set(s, v); }
    public static long size(MemorySegment s) { return (long) SIZE.get(s); }
    public static void setSize(MemorySegment s, long v) { SIZE.set(s, v); }
}
