package dev.jvmm.vfio.sys;

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
 * {@code struct vfio_pci_hot_reset_info}, filled by {@code VFIO_DEVICE_GET_PCI_HOT_RESET_INFO}: the
 * devices (and their groups) a bus or slot reset of this device affects. With too little room the ioctl
 * fails with ENOSPC and sets {@code count} to the number needed: allocate that many and call again.
 */
public final class VfioPciHotResetInfo {

    public static final StructLayout LAYOUT = Layouts.struct("vfio_pci_hot_reset_info",
            u32("argsz"),
            u32("flags"),
            u32("count"),
            flexibleArray("devices", VfioPciDependentDevice.LAYOUT));

    public static final VarHandle ARGSZ = field(LAYOUT, "argsz");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle COUNT = field(LAYOUT, "count");
    public static final long DEVICES_OFFSET = LAYOUT.byteOffset(PathElement.groupElement("devices"));

    private VfioPciHotResetInfo() {}

    /** A zeroed struct with room for {@code capacity} devices and {@code argsz} covering them. */
    public static MemorySegment allocate(Arena arena, int capacity) {
        MemorySegment s = Layouts.allocateFlexible(arena, LAYOUT, VfioPciDependentDevice.LAYOUT, capacity);
        setArgsz(s, (int) s.byteSize());
        return s;
    }

    /** Device {@code index}, to be used with {@link VfioPciDependentDevice}. */
    public static MemorySegment device(MemorySegment s, int index) {
        return Layouts.flexibleEntry(s, DEVICES_OFFSET, VfioPciDependentDevice.LAYOUT, index);
    }

    public static int argsz(MemorySegment s) { return (int) ARGSZ.get(s); }
    public static void setArgsz(MemorySegment s, int v) { ARGSZ.set(s, v); }
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
    /** Devices reported (or, after ENOSPC, needed). */
    public static int count(MemorySegment s) { return (int) COUNT.get(s); }
    public static void setCount(MemorySegment s, int v) { COUNT.set(s, v); }
}
