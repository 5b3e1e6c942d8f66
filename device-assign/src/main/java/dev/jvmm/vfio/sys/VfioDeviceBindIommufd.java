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
 * {@code struct vfio_device_bind_iommufd} (linux/vfio.h, VFIO device cdev, Linux 6.6+), the argument of
 * {@code VFIO_DEVICE_BIND_IOMMUFD} on {@code /dev/vfio/devices/vfioN}: binds the device to iommufd
 * {@code iommufd}; the device's ID within it comes back in {@code out_devid}.
 *
 * <p>Laid out as in current mainline, which appended {@code token_uuid_ptr} (used only with
 * {@code VFIO_DEVICE_BIND_FLAG_TOKEN}, for SR-IOV VFs) to the 6.6 struct. Kernels 6.6+ copy only the
 * fields they know and require {@code argsz} to reach {@code out_devid}, so this size works on all of
 * them. Not in the 6.1 headers: see {@code package-info} for how the layout is checked.
 */
public final class VfioDeviceBindIommufd {

    public static final StructLayout LAYOUT = Layouts.struct("vfio_device_bind_iommufd",
            u32("argsz"),
            u32("flags"),
            u32("iommufd"),
            u32("out_devid"),
            u64("token_uuid_ptr"));

    public static final VarHandle ARGSZ = field(LAYOUT, "argsz");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle IOMMUFD = field(LAYOUT, "iommufd");
    public static final VarHandle OUT_DEVID = field(LAYOUT, "out_devid");
    public static final VarHandle TOKEN_UUID_PTR = field(LAYOUT, "token_uuid_ptr");

    private VfioDeviceBindIommufd() {}

    /** A zeroed struct with {@code argsz} set to its size. */
    public static MemorySegment allocate(Arena arena) {
        MemorySegment s = arena.allocate(LAYOUT);
        setArgsz(s, (int) LAYOUT.byteSize());
        return s;
    }

    public static int argsz(MemorySegment s) { return (int) ARGSZ.get(s); }
    public static void setArgsz(MemorySegment s, int v) { ARGSZ.set(s, v); }
    /** 0 or {@code VFIO_DEVICE_BIND_FLAG_TOKEN}. */
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
    /** The iommufd file descriptor ({@code __s32}). */
    public static int iommufd(MemorySegment s) { return (int) IOMMUFD.get(s); }
    public static void setIommufd(MemorySegment s, int v) { IOMMUFD.set(s, v); }
    public static int outDevid(MemorySegment s) { return (int) OUT_DEVID.get(s); }
    public static void setOutDevid(MemorySegment s, int v) { OUT_DEVID.set(s, v); }
    public static long tokenUuidPtr(MemorySegment s) { return (long) TOKEN_UUID_PTR.get(s); }
    public static void setTokenUuidPtr(MemorySegment s, long v) { TOKEN_UUID_PTR.set(s, v); }
}
