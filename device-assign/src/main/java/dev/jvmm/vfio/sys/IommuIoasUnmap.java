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
 * {@code struct iommu_ioas_unmap} (linux/iommufd.h, Linux 6.2+), the argument of {@code IOMMU_IOAS_UNMAP}:
 * unmaps {@code [iova, iova + length)} from IOAS {@code ioas_id}; the range must cover whole earlier
 * mappings. On return {@code length} holds the bytes unmapped. {@code iova = 0, length = 2^64 - 1}
 * unmaps everything.
 */
public final class IommuIoasUnmap {

    public static final StructLayout LAYOUT = Layouts.struct("iommu_ioas_unmap",
            u32("size"),
            u32("ioas_id"),
            u64("iova"),
            u64("length"));

    public static final VarHandle SIZE = field(LAYOUT, "size");
    public static final VarHandle IOAS_ID = field(LAYOUT, "ioas_id");
    public static final VarHandle IOVA = field(LAYOUT, "iova");
    public static final VarHandle LENGTH = field(LAYOUT, "length");

    private IommuIoasUnmap() {}

    /** A zeroed struct with {@code size} set to its size. */
    public static MemorySegment allocate(Arena arena) {
        MemorySegment s = arena.allocate(LAYOUT);
        setSize(s, (int) LAYOUT.byteSize());
        return s;
    }

    public static int size(MemorySegment s) { return (int) SIZE.get(s); }
    public static void setSize(MemorySegment s, int v) { SIZE.set(s, v); }
    public static int ioasId(MemorySegment s) { return (int) IOAS_ID.get(s); }
    public static void setIoasId(MemorySegment s, int v) { IOAS_ID.set(s, v); }
    public static long iova(MemorySegment s) { return (long) IOVA.get(s); }
    public static void setIova(MemorySegment s, long v) { IOVA.set(s, v); }
    public static long length(MemorySegment s) { return (long) LENGTH.get(s); }
    public static void setLength(MemorySegment s, long v) { LENGTH.set(s, v); }
}
