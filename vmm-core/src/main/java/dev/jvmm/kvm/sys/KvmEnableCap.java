package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.U64;
import static dev.jvmm.kvm.sys.Layouts.U8;
import static dev.jvmm.kvm.sys.Layouts.array;
import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;

import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_enable_cap}, the argument of {@code KVM_ENABLE_CAP}: turn on capability {@code cap}
 * with up to four arguments, e.g. {@code KVM_CAP_X86_DISABLE_EXITS} with {@code args[0]} a mask of
 * {@code KVM_X86_DISABLE_EXITS_*}.
 */
public final class KvmEnableCap {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_enable_cap",
            u32("cap"),
            u32("flags"),
            array("args", 4, U64),
            array("pad", 64, U8));

    public static final VarHandle CAP = field(LAYOUT, "cap");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle ARGS =
            field(LAYOUT, PathElement.groupElement("args"), PathElement.sequenceElement());

    private KvmEnableCap() {}

    public static int cap(MemorySegment s) { return (int) CAP.get(s); }
    public static void setCap(MemorySegment s, int v) { CAP.set(s, v); }
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
    public static long args(MemorySegment s, int i) { return (long) ARGS.get(s, (long) i); }
    public static void setArgs(MemorySegment s, int i, long v) { ARGS.set(s, (long) i, v); }
}
