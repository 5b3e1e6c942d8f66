package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;
import static dev.jvmm.kvm.sys.Layouts.u64;

import dev.jvmm.kvm.sys.Layouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct vfio_iommu_type1_dma_map}, the argument of {@code VFIO_IOMMU_MAP_DMA}: maps {@code size}
 * bytes of this process at {@code vaddr} for device DMA at {@code iova}, with
 * {@code VFIO_DMA_MAP_FLAG_READ}/{@code _WRITE}. The kernel pins the pages (charged to RLIMIT_MEMLOCK).
 */
public final class VfioIommuType1DmaMap {

    public static final StructLayout LAYOUT = Layouts.struct("vfio_iommu_type1_dma_map",
            u32("argsz"),
            u32("flags"),
            u64("vaddr"),
            u64("iova"),
            u64("size"));

    public static final VarHandle ARGSZ = field(LAYOUT, "argsz");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle VADDR = field(LAYOUT, "vaddr");
    public static final VarHandle IOVA = field(LAYOUT, "iova");
    public static final VarHandle SIZE = field(LAYOUT, "size");

    private VfioIommuType1DmaMap() {}

    /** A zeroed struct with {@code argsz} set to its size. */
    public static MemorySegment allocate(Arena arena) {
        MemorySegment s = arena.allocate(LAYOUT);
        setArgsz(s, (int) LAYOUT.byteSize());
        return s;
    }

    public static int argsz(MemorySegment s) { return (int) ARGSZ.get(s); }
    public static void setArgsz(MemorySegment s, int v) { ARGSZ.set(s, v); }
    /** {@code VFIO_DMA_MAP_FLAG_*}. */
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
    public static long vaddr(MemorySegment s) { return (long) VADDR.get(s); }
    public static void setVaddr(MemorySegment s, long v) { VADDR.set(s, v); }
    public static long iova(MemorySegment s) { return (long) IOVA.get(s); }
    public static void setIova(MemorySegment s, long v) { IOVA.set(s, v); }
    public static long size(MemorySegment s) { return (long) SIZE.get(s); }
    public static void setSize(MemorySegment s, long v) { SIZE.set(s, v); }
}
