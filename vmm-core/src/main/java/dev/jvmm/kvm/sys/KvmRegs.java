package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u64;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_regs} (asm/kvm.h), the general-purpose registers read by {@code KVM_GET_REGS} and
 * written by {@code KVM_SET_REGS}. Set {@code rflags} bit 1 (always one on x86) when writing.
 */
public final class KvmRegs {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_regs",
            u64("rax"),
            u64("rbx"),
            u64("rcx"),
            u64("rdx"),
            u64("rsi"),
            u64("rdi"),
            u64("rsp"),
            u64("rbp"),
            u64("r8"),
            u64("r9"),
            u64("r10"),
            u64("r11"),
            u64("r12"),
            u64("r13"),
            u64("r14"),
            u64("r15"),
            u64("rip"),
            u64("rflags"));

    public static final VarHandle RAX = field(LAYOUT, "rax");
    public static final VarHandle RBX = field(LAYOUT, "rbx");
    public static final VarHandle RCX = field(LAYOUT, "rcx");
    public static final VarHandle RDX = field(LAYOUT, "rdx");
    public static final VarHandle RSI = field(LAYOUT, "rsi");
    public static final VarHandle RDI = field(LAYOUT, "rdi");
    public static final VarHandle RSP = field(LAYOUT, "rsp");
    public static final VarHandle RBP = field(LAYOUT, "rbp");
    public static final VarHandle R8 = field(LAYOUT, "r8");
    public static final VarHandle R9 = field(LAYOUT, "r9");
    public static final VarHandle R10 = field(LAYOUT, "r10");
    public static final VarHandle R11 = field(LAYOUT, "r11");
    public static final VarHandle R12 = field(LAYOUT, "r12");
    public static final VarHandle R13 = field(LAYOUT, "r13");
    public static final VarHandle R14 = field(LAYOUT, "r14");
    public static final VarHandle R15 = field(LAYOUT, "r15");
    public static final VarHandle RIP = field(LAYOUT, "rip");
    public static final VarHandle RFLAGS = field(LAYOUT, "rflags");

    private KvmRegs() {}

    public static long rax(MemorySegment s) { return (long) RAX.get(s); }
    public static void setRax(MemorySegment s, long v) { RAX.set(s, v); }
    public static long rbx(MemorySegment s) { return (long) RBX.get(s); }
    public static void setRbx(MemorySegment s, long v) { RBX.set(s, v); }
    public static long rcx(MemorySegment s) { return (long) RCX.get(s); }
    public static void setRcx(MemorySegment s, long v) { RCX.set(s, v); }
    public static long rdx(MemorySegment s) { return (long) RDX.get(s); }
    public static void setRdx(MemorySegment s, long v) { RDX.set(s, v); }
    public static long rsi(MemorySegment s) { return (long) RSI.get(s); }
    public static void setRsi(MemorySegment s, long v) { RSI.set(s, v); }
    public static long rdi(MemorySegment s) { return (long) RDI.get(s); }
    public static void setRdi(MemorySegment s, long v) { RDI.set(s, v); }
    public static long rsp(MemorySegment s) { return (long) RSP.get(s); }
    public static void setRsp(MemorySegment s, long v) { RSP.set(s, v); }
    public static long rbp(MemorySegment s) { return (long) RBP.get(s); }
    public static void setRbp(MemorySegment s, long v) { RBP.set(s, v); }
    public static long r8(MemorySegment s) { return (long) R8.get(s); }
    public static void setR8(MemorySegment s, long v) { R8.set(s, v); }
    public static long r9(MemorySegment s) { return (long) R9.get(s); }
    public static void setR9(MemorySegment s, long v) { R9.set(s, v); }
    public static long r10(MemorySegment s) { return (long) R10.get(s); }
    public static void setR10(MemorySegment s, long v) { R10.set(s, v); }
    public static long r11(MemorySegment s) { return (long) R11.get(s); }
    public static void setR11(MemorySegment s, long v) { R11.set(s, v); }
    public static long r12(MemorySegment s) { return (long) R12.get(s); }
    public static void setR12(MemorySegment s, long v) { R12.set(s, v); }
    public static long r13(MemorySegment s) { return (long) R13.get(s); }
    public static void setR13(MemorySegment s, long v) { R13.set(s, v); }
    public static long r14(MemorySegment s) { return (long) R14.get(s); }
    public static void setR14(MemorySegment s, long v) { R14.set(s, v); }
    public static long r15(MemorySegment s) { return (long) R15.get(s); }
    public static void setR15(MemorySegment s, long v) { R15.set(s, v); }
    public static long rip(MemorySegment s) { return (long) RIP.get(s); }
    public static void setRip(MemorySegment s, long v) { RIP.set(s, v); }
    public static long rflags(MemorySegment s) { return (long) RFLAGS.get(s); }
    public static void setRflags(MemorySegment s, long v) { RFLAGS.set(s, v); }
}
