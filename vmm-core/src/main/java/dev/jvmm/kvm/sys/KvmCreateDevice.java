package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_create_device}, the argument of {@code KVM_CREATE_DEVICE}: in, a {@code KVM_DEV_TYPE_*}
 * and flags ({@code KVM_CREATE_DEVICE_TEST} only asks whether the type exists); out, the new device fd.
 */
public final class KvmCreateDevice {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_create_device",
            u32("type"),
            u32("fd"),
            u32("flags"));

    public static final VarHandle TYPE = field(LAYOUT, "type");
    public static final VarHandle FD = field(LAYOUT, "fd");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");

    private KvmCreateDevice() {}

    public static int type(MemorySegment s) { return (int) TYPE.get(s); }
    public static void setType(MemorySegment s, int v) { TYPE.set(s, v); }
    public static int fd(MemorySegment s) { return (int) FD.get(s); }
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
}
