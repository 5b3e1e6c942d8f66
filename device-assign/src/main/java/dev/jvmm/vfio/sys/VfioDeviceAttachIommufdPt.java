package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;

import dev.jvmm.kvm.sys.Layouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct vfio_device_attach_iommufd_pt} (linux/vfio.h, VFIO device cdev, Linux 6.6+), the argument
 * of {@code VFIO_DEVICE_ATTACH_IOMMUFD_PT}: attaches the bound device to page table {@code pt_id} (an IOAS
 * or a HWPT); the attached HWPT's ID comes back in {@code pt_id}.
 *
 * <p>Laid out as in current mainline, which appended {@code pasid} (used only with
 * {@code VFIO_DEVICE_ATTACH_PASID}) to the 6.6 struct; older kernels read only up to {@code pt_id}.
 * Not in the 6.1 headers: see {@code package-info} for how the layout is checked.
 */
public final class VfioDeviceAttachIommufdPt {

    public static final StructLayout LAYOUT = Layouts.struct("vfio_device_attach_iommufd_pt",
            u32("argsz"),
            u32("flags"),
            u32("pt_id"),
            u32("pasid"));

    public static final VarHandle ARGSZ = field(LAYOUT, "argsz");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle PT_ID = field(LAYOUT, "pt_id");
    public static final VarHandle PASID = field(LAYOUT, "pasid");

    private VfioDeviceAttachIommufdPt() {}

    /** A zeroed struct with {@code argsz} set to its size. */
    public static MemorySegment allocate(Arena arena) {
        MemorySegment s = arena.allocate(LAYOUT);
        setArgsz(s, (int) LAYOUT.byteSize());
        return s;
    }

    public static int argsz(MemorySegment s) { return (int) ARGSZ.get(s); }
    public static void setArgsz(MemorySegment s, int v) { ARGSZ.set(s, v); }
    /** 0 or {@code VFIO_DEVICE_ATTACH_PASID}. */
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
    public static int ptId(MemorySegment s) { return (int) PT_ID.get(s); }
    public static void setPtId(MemorySegment s, int v) { PT_ID.set(s, v); }
    public static int pasid(MemorySegment s) { return (int) PASID.get(s); }
    public static void setPasid(MemorySegment s, int v) { PASID.set(s, v); }
}
