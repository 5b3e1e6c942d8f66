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
 * {@code struct iommu_ioas_map} (linux/iommufd.h, Linux 6.2+), the argument of {@code IOMMU_IOAS_MAP}:
 * maps {@code length} bytes of this process at {@code user_va} into IOAS {@code ioas_id}, at {@code iova}
 * when {@code IOMMU_IOAS_MAP_FIXED_IOVA} is set (else the kernel picks and returns it), with
 * {@code IOMMU_IOAS_MAP_READABLE}/{@code _WRITEABLE}.
 */
public final class IommuIoasMap {

    public static final StructLayout LAYOUT = Layouts.struct("iommu_ioas_map",
            u32("size"),
            u32("flags"),
            u32("ioas_id"),
            u32("__reserved"),
            u64("user_va"),
            u64("length"),
            u64("iova"));

    public static final VarHandle SIZE = field(LAYOUT, "size");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle IOAS_ID = field(LAYOUT, "ioas_id");
    public static final VarHandle USER_VA = field(LAYOUT, "user_va");
    public static final VarHandle LENGTH = field(LAYOUT, "length");
    public static final VarHandle IOVA = field(LAYOUT, "iova");

    private IommuIoasMap() {}

    /** A zeroed struct with {@code size} set to its size. */
    public static MemorySegment allocate(Arena arena) {
        MemorySegment s = arena.allocate(LAYOUT);
        setSize(s, (int) LAYOUT.byteSize());
        return s;
    }

    public static int size(MemorySegment s) { return (int) SIZE.get(s); }
    public static void setSize(MemorySegment s, int v) { SIZE.set(s, v); }
    /** {@code IOMMU_IOAS_MAP_*}. */
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
    public static int ioasId(MemorySegment s) { return (int) IOAS_ID.get(s); }
    public static void setIoasId(MemorySegment s, int v) { IOAS_ID.set(s, v); }
    public static long userVa(MemorySegment s) { return (long) USER_VA.get(s); }
    public static void setUserVa(MemorySegment s, long v) { USER_VA.set(s, v); }
    public static long length(MemorySegment s) { return (long) LENGTH.get(s); }
    public static void setLength(MemorySegment s, long v) { LENGTH.set(s, v); }
    public static long iova(MemorySegment s) { return (long) IOVA.get(s); }
    public static void setIova(MemorySegment s, long v) { IOVA.set(s, v); }
}
