package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;

import dev.jvmm.kvm.sys.Layouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct vfio_device_detach_iommufd_pt} (linux/vfio.h, VFIO device cdev, Linux 6.6+), the argument
 * of {@code VFIO_DEVICE_DETACH_IOMMUFD_PT}: detaches the device from its page table, leaving its DMA
 * blocked.
 *
 * <p>Laid out as in current mainline, which appended {@code pasid} (used only with
 * {@code VFIO_DEVICE_DETACH_PASID}) to the 6.6 struct; older kernels read only up to {@code flags}.
 * Not in the 6.1 headers: see {@code package-info} for how the layout is checked.
 */
public final class VfioDeviceDetachIommufdPt {

    public static final StructLayout LAYOUT = Layouts.struct("vfio_device_detach_iommufd_pt",
            u32("argsz"),
            u32("flags"),
            u32("pasid"));

    public static final VarHandle ARGSZ = field(LAYOUT, "argsz");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle PASID = field(LAYOUT, "pasid");

    private VfioDeviceDetachIommufdPt() {}

    /** A zeroed struct with {@code argsz} set to its size. */
    public static MemorySegment allocate(Arena arena) {
        MemorySegment s = arena.allocate(LAYOUT);
        setArgsz(s, (int) LAYOUT.byteSize());
        return s;
    }

    public static int argsz(MemorySegment s) { return (int) ARGSZ.get(s); }
    public static void setArgsz(MemorySegment s, int v) { ARGSZ.set(s, v); }
    /** 0 or {@code VFIO_DEVICE_DETACH_PASID}. */
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
    public static int pasid(MemorySegment s) { return (int) PASID.get(s); }
    public static void setPasid(MemorySegment s, int v) { PASID.set(s, v); }
}
