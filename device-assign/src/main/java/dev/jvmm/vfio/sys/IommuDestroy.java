package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;

import dev.jvmm.kvm.sys.Layouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct iommu_destroy} (linux/iommufd.h, Linux 6.2+), the argument of {@code IOMMU_DESTROY}:
 * destroys iommufd object {@code id} (an IOAS, a HWPT, ...). Not in the 6.1 headers: see
 * {@code package-info} for how the layout is checked.
 */
public final class IommuDestroy {

    public static final StructLayout LAYOUT = Layouts.struct("iommu_destroy",
            u32("size"),
            u32("id"));

    public static final VarHandle SIZE = field(LAYOUT, "size");
    public static final VarHandle ID = field(LAYOUT, "id");

    private IommuDestroy() {}

    /** A zeroed struct with {@code size} set to its size. */
    public static MemorySegment allocate(Arena arena) {
        MemorySegment s = arena.allocate(LAYOUT);
        setSize(s, (int) LAYOUT.byteSize());
        return s;
    }

    public static int size(MemorySegment s) { return (int) SIZE.get(s); }
    public static void setSize(MemorySegment s, int v) { SIZE.set(s, v); }
    public static int id(MemorySegment s) { return (int) ID.get(s); }
    public static void setId(MemorySegment s, int v) { ID.set(s, v); }
}
