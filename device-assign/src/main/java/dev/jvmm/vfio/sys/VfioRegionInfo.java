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
 * {@code struct vfio_region_info}, the argument of {@code VFIO_DEVICE_GET_REGION_INFO}: the caller sets
 * {@code index} (a {@code VFIO_PCI_*_REGION_INDEX}); the kernel fills in the region's {@code size}, its
 * {@code offset} within the device fd (for pread/pwrite/mmap) and {@code VFIO_REGION_INFO_FLAG_*}.
 * A size of 0 marks an unimplemented region (an absent BAR).
 *
 * <p>With {@code VFIO_REGION_INFO_FLAG_CAPS} a capability chain (sparse mmap areas, region type,
 * MSI-X mappable) follows at {@code cap_offset}. When the buffer was too small the kernel raises
 * {@code argsz} to the size needed: call again with {@link #allocate(Arena, int, int)} of that size.
 */
public final class VfioRegionInfo {

    public static final StructLayout LAYOUT = Layouts.struct("vfio_region_info",
            u32("argsz"),
            u32("flags"),
            u32("index"),
            u32("cap_offset"),
            u64("size"),
            u64("offset"));

    public static final VarHandle ARGSZ = field(LAYOUT, "argsz");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle INDEX = field(LAYOUT, "index");
    public static final VarHandle CAP_OFFSET = field(LAYOUT, "cap_offset");
    public static final VarHandle SIZE = field(LAYOUT, "size");
    public static final VarHandle OFFSET = field(LAYOUT, "offset");

    private VfioRegionInfo() {}

    /** A zeroed struct for region {@code index}, {@code argsz} set to the struct's size (no room for caps). */
    public static MemorySegment allocate(Arena arena, int index) {
        return allocate(arena, index, (int) LAYOUT.byteSize());
    }

    /** A zeroed buffer of {@code argsz} bytes (at least the struct) for region {@code index} and its caps. */
    public static MemorySegment allocate(Arena arena, int index, int argsz) {
        if (argsz < LAYOUT.byteSize()) {
            throw new IllegalArgumentException("argsz " + argsz + " is smaller than struct vfio_region_info ("
                    + LAYOUT.byteSize() + " bytes)");
        }
        MemorySegment s = arena.allocate(argsz, LAYOUT.byteAlignment());
        setArgsz(s, argsz);
        setIndex(s, index);
        return s;
    }

    public static int argsz(MemorySegment s) { return (int) ARGSZ.get(s); }
    public static void setArgsz(MemorySegment s, int v) { ARGSZ.set(s, v); }
    /** {@code VFIO_REGION_INFO_FLAG_*}. */
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
    public static int index(MemorySegment s) { return (int) INDEX.get(s); }
    public static void setIndex(MemorySegment s, int v) { INDEX.set(s, v); }
    public static int capOffset(MemorySegment s) { return (int) CAP_OFFSET.get(s); }
    public static void setCapOffset(MemorySegment s, int v) { CAP_OFFSET.set(s, v); }
    public static long size(MemorySegment s) { return (long) SIZE.get(s); }
    public static void setSize(MemorySegment s, long v) { SIZE.set(s, v); }
    public static long offset(MemorySegment s) { return (long) OFFSET.get(s); }
    public static void setOffset(MemorySegment s, long v) { OFFSET.set(s, v); }
}
