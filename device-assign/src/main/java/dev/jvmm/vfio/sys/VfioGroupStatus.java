package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;

import dev.jvmm.kvm.sys.Layouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct vfio_group_status}, filled by {@code VFIO_GROUP_GET_STATUS}: {@code flags} holds
 * {@code VFIO_GROUP_FLAGS_VIABLE} (every device of the IOMMU group is bound to vfio-pci or unbound) and
 * {@code VFIO_GROUP_FLAGS_CONTAINER_SET}.
 */
public final class VfioGroupStatus {

    public static final StructLayout LAYOUT = Layouts.struct("vfio_group_status",
            u32("argsz"),
            u32("flags"));

    public static final VarHandle ARGSZ = field(LAYOUT, "argsz");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");

    private VfioGroupStatus() {}

    /** A zeroed struct with {@code argsz} set to its size. */
    public static MemorySegment allocate(Arena arena) {
        MemorySegment s = arena.allocate(LAYOUT);
        setArgsz(s, (int) LAYOUT.byteSize());
        return s;
    }

    public static int argsz(MemorySegment s) { return (int) ARGSZ.get(s); }
    public static void setArgsz(MemorySegment s, int v) { ARGSZ.set(s, v); }
    /** {@code VFIO_GROUP_FLAGS_*}. */
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
}
