package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.pad;
import static dev.jvmm.kvm.sys.Layouts.u32;
import static dev.jvmm.kvm.sys.Layouts.u64;

import dev.jvmm.kvm.sys.Layouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct vfio_iommu_type1_info}, filled by {@code VFIO_IOMMU_GET_INFO} on a container: the IOMMU
 * page sizes ({@code VFIO_IOMMU_INFO_PGSIZES}) and, with {@code VFIO_IOMMU_INFO_CAPS}, a capability chain
 * at {@code cap_offset}: {@link VfioIommuType1InfoCapIovaRange} (the valid IOVA ranges) and
 * {@link VfioIommuType1InfoDmaAvail} (how many more DMA mappings are allowed). Buffers too small for the
 * chain come back with {@code argsz} raised: call again with that size.
 *
 * <p>The 4 bytes after {@code cap_offset} are compiler padding in the 6.1 headers (named {@code pad} in
 * later ones).
 */
public final class VfioIommuType1Info {

    public static final StructLayout LAYOUT = Layouts.struct("vfio_iommu_type1_info",
            u32("argsz"),
            u32("flags"),
            u64("iova_pgsizes"),
            u32("cap_offset"),
            pad(4));

    public static final VarHandle ARGSZ = field(LAYOUT, "argsz");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle IOVA_PGSIZES = field(LAYOUT, "iova_pgsizes");
    public static final VarHandle CAP_OFFSET = field(LAYOUT, "cap_offset");

    private VfioIommuType1Info() {}

    /** A zeroed buffer of {@code argsz} bytes (at least the struct's size), {@code argsz} set. */
    public static MemorySegment allocate(Arena arena, int argsz) {
        if (argsz < LAYOUT.byteSize()) {
            throw new IllegalArgumentException("argsz " + argsz + " is smaller than struct vfio_iommu_type1_info ("
                    + LAYOUT.byteSize() + " bytes)");
        }
        MemorySegment s = arena.allocate(argsz, LAYOUT.byteAlignment());
        setArgsz(s, argsz);
        return s;
    }

    public static int argsz(MemorySegment s) { return (int) ARGSZ.get(s); }
    public static void setArgsz(MemorySegment s, int v) { ARGSZ.set(s, v); }
    /** {@code VFIO_IOMMU_INFO_*}. */
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
    /** Bitmap of supported IOMMU page sizes: bit n set means 2^n bytes. */
    public static long iovaPgsizes(MemorySegment s) { return (long) IOVA_PGSIZES.get(s); }
    public static void setIovaPgsizes(MemorySegment s, long v) { IOVA_PGSIZES.set(s, v); }
    public static int capOffset(MemorySegment s) { return (int) CAP_OFFSET.get(s); }
    public static void setCapOffset(MemorySegment s, int v) { CAP_OFFSET.set(s, v); }
}
