package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;
import static dev.jvmm.kvm.sys.Layouts.u64;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_device_attr}, the argument of {@code KVM_SET/GET/HAS_DEVICE_ATTR} on a device fd:
 * {@code group} and {@code attr} are defined by the device type; {@code addr} is the userspace address of
 * the attribute's data. For the KVM-VFIO device: group {@code KVM_DEV_VFIO_GROUP}, attr
 * {@code KVM_DEV_VFIO_GROUP_ADD}, and {@code addr} points at an {@code int} holding the VFIO group fd.
 */
public final class KvmDeviceAttr {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_device_attr",
            u32("flags"),
            u32("group"),
            u64("attr"),
            u64("addr"));

    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle GROUP = field(LAYOUT, "group");
    public static final VarHandle ATTR = field(LAYOUT, "attr");
    public static final VarHandle ADDR = field(LAYOUT, "addr");

    private KvmDeviceAttr() {}

    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
    public static int group(MemorySegment s) { return (int) GROUP.get(s); }
    public static void setGroup(MemorySegment s, int v) { GROUP.set(s, v); }
    public static long attr(MemorySegment s) { return (long) ATTR.get(s); }
    public static void setAttr(MemorySegment s, long v) { ATTR.set(s, v); }
    public static long addr(MemorySegment s) { return (long) ADDR.get(s); }
    /** The address of {@code data}, which must stay alive until the ioctl returns. */
    public static void setAddr(MemorySegment s, MemorySegment data) { ADDR.set(s, data.address()); }
}
