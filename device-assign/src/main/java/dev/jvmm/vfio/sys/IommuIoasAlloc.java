package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;

import dev.jvmm.kvm.sys.Layouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct iommu_ioas_alloc} (linux/iommufd.h, Linux 6.2+), the argument of {@code IOMMU_IOAS_ALLOC}:
 * creates an I/O address space; its object ID comes back in {@code out_ioas_id}. {@code flags} must be 0.
 */
public final class IommuIoasAlloc {

    public static final StructLayout LAYOUT = Layouts.struct("iommu_ioas_alloc",
            u32("size"),
            u32("flags"),
            u32("out_ioas_id"));

    public static final VarHandle SIZE = field(LAYOUT, "size");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle OUT_IOAS_ID = field(LAYOUT, "out_ioas_id");

    private IommuIoasAlloc() {}

    /** A zeroed struct with {@code size} set to its size. */
    public static MemorySegment allocate(Arena arena) {
        MemorySegment s = arena.allocate(LAYOUT);
        setSize(s, (int) LAYOUT.byteSize());
        return s;
    }

    public static int size(MemorySegment s) { return (int) SIZE.get(s); }
    public static void setSize(MemorySegment s, int v) { SIZE.set(s, v); }
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
    public static int outIoasId(MemorySegment s) { return (int) OUT_IOAS_ID.get(s); }
    public static void setOutIoasId(MemorySegment s, int v) { OUT_IOAS_ID.set(s, v); }
}
