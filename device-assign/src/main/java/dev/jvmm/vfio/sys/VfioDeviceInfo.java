package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;

import dev.jvmm.kvm.sys.Layouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct vfio_device_info}, filled by {@code VFIO_DEVICE_GET_INFO}: the device type
 * ({@code VFIO_DEVICE_FLAGS_PCI}), whether it can be reset, and how many region and IRQ indexes exist.
 *
 * <p>Laid out as in the 6.1 headers this project builds against (20 bytes). Linux 6.8 appended a
 * {@code __u32 pad}; the kernel reads only up to {@code num_irqs}, so either size works on every kernel.
 */
public final class VfioDeviceInfo {

    public static final StructLayout LAYOUT = Layouts.struct("vfio_device_info",
            u32("argsz"),
            u32("flags"),
            u32("num_regions"),
            u32("num_irqs"),
            u32("cap_offset"));

    public static final VarHandle ARGSZ = field(LAYOUT, "argsz");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle NUM_REGIONS = field(LAYOUT, "num_regions");
    public static final VarHandle NUM_IRQS = field(LAYOUT, "num_irqs");
    public static final VarHandle CAP_OFFSET = field(LAYOUT, "cap_offset");

    private VfioDeviceInfo() {}

    /** A zeroed struct with {@code argsz} set to its size. */
    public static MemorySegment allocate(Arena arena) {
        MemorySegment s = arena.allocate(LAYOUT);
        setArgsz(s, (int) LAYOUT.byteSize());
        return s;
    }

    public static int argsz(MemorySegment s) { return (int) ARGSZ.get(s); }
    public static void setArgsz(MemorySegment s, int v) { ARGSZ.set(s, v); }
    /** {@code VFIO_DEVICE_FLAGS_*}. */
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
    public static int numRegions(MemorySegment s) { return (int) NUM_REGIONS.get(s); }
    public static void setNumRegions(MemorySegment s, int v) { NUM_REGIONS.set(s, v); }
    public static int numIrqs(MemorySegment s) { return (int) NUM_IRQS.get(s); }
    public static void setNumIrqs(MemorySegment s, int v) { NUM_IRQS.set(s, v); }
    /** Offset of the first capability; valid only with {@code VFIO_DEVICE_FLAGS_CAPS}. */
    public static int capOffset(MemorySegment s) { return (int) CAP_OFFSET.get(s); }
    public static void setCapOffset(MemorySegment s, int v) { CAP_OFFSET.set(s, v); }
}
