package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;

import dev.jvmm.kvm.sys.Layouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct vfio_irq_info}, the argument of {@code VFIO_DEVICE_GET_IRQ_INFO}: the caller sets
 * {@code index} (a {@code VFIO_PCI_*_IRQ_INDEX}); the kernel fills in how many vectors it has
 * ({@code count}, 0 when unsupported) and {@code VFIO_IRQ_INFO_*}.
 */
public final class VfioIrqInfo {

    public static final StructLayout LAYOUT = Layouts.struct("vfio_irq_info",
            u32("argsz"),
            u32("flags"),
            u32("index"),
            u32("count"));

    public static final VarHandle ARGSZ = field(LAYOUT, "argsz");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle INDEX = field(LAYOUT, "index");
    public static final VarHandle COUNT = field(LAYOUT, "count");

    private VfioIrqInfo() {}

    /** A zeroed struct for IRQ {@code index} with {@code argsz} set to its size. */
    public static MemorySegment allocate(Arena arena, int index) {
        MemorySegment s = arena.allocate(LAYOUT);
        setArgsz(s, (int) LAYOUT.byteSize());
        setIndex(s, index);
        return s;
    }

    public static int argsz(MemorySegment s) { return (int) ARGSZ.get(s); }
    public static void setArgsz(MemorySegment s, int v) { ARGSZ.set(s, v); }
    /** {@code VFIO_IRQ_INFO_*}. */
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
    public static int index(MemorySegment s) { return (int) INDEX.get(s); }
    public static void setIndex(MemorySegment s, int v) { INDEX.set(s, v); }
    public static int count(MemorySegment s) { return (int) COUNT.get(s); }
    public static void setCount(MemorySegment s, int v) { COUNT.set(s, v); }
}
