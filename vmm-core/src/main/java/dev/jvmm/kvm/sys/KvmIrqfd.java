package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.U8;
import static dev.jvmm.kvm.sys.Layouts.array;
import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_irqfd}, the argument of {@code KVM_IRQFD}: a write to eventfd {@code fd} raises GSI
 * {@code gsi}. With {@code KVM_IRQFD_FLAG_RESAMPLE} the GSI is level-triggered and KVM signals eventfd
 * {@code resamplefd} when the guest EOIs it; {@code KVM_IRQFD_FLAG_DEASSIGN} removes the binding.
 */
public final class KvmIrqfd {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_irqfd",
            u32("fd"),
            u32("gsi"),
            u32("flags"),
            u32("resamplefd"),
            array("pad", 16, U8));

    public static final VarHandle FD = field(LAYOUT, "fd");
    public static final VarHandle GSI = field(LAYOUT, "gsi");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle RESAMPLEFD = field(LAYOUT, "resamplefd");

    private KvmIrqfd() {}

    public static int fd(MemorySegment s) { return (int) FD.get(s); }
    public static void setFd(MemorySegment s, int v) { FD.set(s, v); }
    public static int gsi(MemorySegment s) { return (int) GSI.get(s); }
    public static void setGsi(MemorySegment s, int v) { GSI.set(s, v); }
    /** {@code KVM_IRQFD_FLAG_*}. */
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
    public static int resamplefd(MemorySegment s) { return (int) RESAMPLEFD.get(s); }
    public static void setResamplefd(MemorySegment s, int v) { RESAMPLEFD.set(s, v); }
}
