package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Layouts.U32;
import static dev.jvmm.kvm.sys.Layouts.U8;
import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.flexibleArray;
import static dev.jvmm.kvm.sys.Layouts.u32;

import dev.jvmm.kvm.sys.Layouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct vfio_irq_set}, the argument of {@code VFIO_DEVICE_SET_IRQS}: applies an action
 * ({@code VFIO_IRQ_SET_ACTION_TRIGGER}, {@code _MASK}, {@code _UNMASK}) to vectors
 * {@code [start, start + count)} of IRQ {@code index}, with {@code data[]} interpreted per
 * {@code VFIO_IRQ_SET_DATA_*}: nothing, one {@code __u8} bool per vector, or one {@code __s32} eventfd per
 * vector (-1 de-assigns). {@code argsz} must cover the header and the data.
 *
 * <p>{@code flags = DATA_NONE | ACTION_TRIGGER, count = 0} disables the whole index.
 */
public final class VfioIrqSet {

    public static final StructLayout LAYOUT = Layouts.struct("vfio_irq_set",
            u32("argsz"),
            u32("flags"),
            u32("index"),
            u32("start"),
            u32("count"),
            flexibleArray("data", U8));

    public static final VarHandle ARGSZ = field(LAYOUT, "argsz");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle INDEX = field(LAYOUT, "index");
    public static final VarHandle START = field(LAYOUT, "start");
    public static final VarHandle COUNT = field(LAYOUT, "count");
    public static final long DATA_OFFSET = LAYOUT.byteOffset(PathElement.groupElement("data"));

    private VfioIrqSet() {}

    /** A zeroed struct with no data ({@code DATA_NONE}) and {@code argsz} set to the header's size. */
    public static MemorySegment allocate(Arena arena) {
        return allocateData(arena, 0);
    }

    /** A zeroed struct with {@code dataBytes} bytes of {@code data[]}, {@code argsz} covering both. */
    public static MemorySegment allocateData(Arena arena, int dataBytes) {
        MemorySegment s = Layouts.allocateFlexible(arena, LAYOUT, U8, dataBytes);
        setArgsz(s, (int) s.byteSize());
        return s;
    }

    /**
     * A struct carrying one eventfd per vector for {@code count} vectors: {@code count}, {@code argsz} and
     * {@code VFIO_IRQ_SET_DATA_EVENTFD} are set, every eventfd is -1; the caller adds the action flag,
     * {@code index} and {@code start}, and stores fds with {@link #setEventfd}.
     */
    public static MemorySegment allocateEventfds(Arena arena, int count) {
        MemorySegment s = allocateData(arena, Math.multiplyExact(count, (int) U32.byteSize()));
        setCount(s, count);
        setFlags(s, VfioConstants.VFIO_IRQ_SET_DATA_EVENTFD);
        for (int i = 0; i < count; i++) {
            setEventfd(s, i, -1);
        }
        return s;
    }

    /** The eventfd for vector {@code start + i} in a {@code DATA_EVENTFD} struct. */
    public static int eventfd(MemorySegment s, int i) {
        return Layouts.flexibleEntry(s, DATA_OFFSET, U32, i).get(U32, 0);
    }

    public static void setEventfd(MemorySegment s, int i, int fd) {
        Layouts.flexibleEntry(s, DATA_OFFSET, U32, i).set(U32, 0, fd);
    }

    public static int argsz(MemorySegment s) { return (int) ARGSZ.get(s); }
    public static void setArgsz(MemorySegment s, int v) { ARGSZ.set(s, v); }
    /** {@code VFIO_IRQ_SET_DATA_*} | {@code VFIO_IRQ_SET_ACTION_*}. */
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
    public static int index(MemorySegment s) { return (int) INDEX.get(s); }
    public static void setIndex(MemorySegment s, int v) { INDEX.set(s, v); }
    public static int start(MemorySegment s) { return (int) START.get(s); }
    public static void setStart(MemorySegment s, int v) { START.set(s, v); }
    public static int count(MemorySegment s) { return (int) COUNT.get(s); }
    public static void setCount(MemorySegment s, int v) { COUNT.set(s, v); }
}
