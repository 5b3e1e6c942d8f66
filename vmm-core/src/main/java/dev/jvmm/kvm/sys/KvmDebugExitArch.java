package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;
import static dev.jvmm.kvm.sys.Layouts.u64;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_debug_exit_arch} (asm/kvm.h): what {@code KVM_EXIT_DEBUG} reports in
 * {@code kvm_run.debug.arch} ({@link KvmRun#debugArch}): the exception vector, the guest PC, DR6, DR7.
 */
public final class KvmDebugExitArch {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_debug_exit_arch",
            u32("exception"),
            u32("pad"),
            u64("pc"),
            u64("dr6"),
            u64("dr7"));

    public static final VarHandle EXCEPTION = field(LAYOUT, "exception");
    public static final VarHandle PC = field(LAYOUT, "pc");
    public static final VarHandle DR6 = field(LAYOUT, "dr6");
    public static final VarHandle DR7 = field(LAYOUT, "dr7");

    private KvmDebugExitArch() {}

    public static int exception(MemorySegment s) { return (int) EXCEPTION.get(s); }
    public static long pc(MemorySegment s) { return (long) PC.get(s); }
    public static long dr6(MemorySegment s) { return (long) DR6.get(s); }
    public static long dr7(MemorySegment s) { return (long) DR7.get(s); }
}
