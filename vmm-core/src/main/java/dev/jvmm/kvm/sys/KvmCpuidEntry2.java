package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.U32;
import static dev.jvmm.kvm.sys.Layouts.array;
import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_cpuid_entry2} (asm/kvm.h): the CPUID result for leaf {@code function}, sub-leaf
 * {@code index} (meaningful only with {@code KVM_CPUID_FLAG_SIGNIFCANT_INDEX} in {@code flags}).
 */
public final class KvmCpuidEntry2 {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_cpuid_entry2",
            u32("function"),
            u32("index"),
            u32("flags"),
            u32("eax"),
            u32("ebx"),
            u32("ecx"),
            u32("edx"),
            array("padding", 3, U32));

    public static final VarHandle FUNCTION = field(LAYOUT, "function");
    public static final VarHandle INDEX = field(LAYOUT, "index");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle EAX = field(LAYOUT, "eax");
    public static final VarHandle EBX = field(LAYOUT, "ebx");
    public static final VarHandle ECX = field(LAYOUT, "ecx");
    public static final VarHandle EDX = field(LAYOUT, "edx");

    private KvmCpuidEntry2() {}

    public static int function(MemorySegment s) { return (int) FUNCTION.get(s); }
    public static void setFunction(MemorySegment s, int v) { FUNCTION.set(s, v); }
    public static int index(MemorySegment s) { return (int) INDEX.get(s); }
    public static void setIndex(MemorySegment s, int v) { INDEX.set(s, v); }
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
    public static int eax(MemorySegment s) { return (int) EAX.get(s); }
    public static void setEax(MemorySegment s, int v) { EAX.set(s, v); }
    public static int ebx(MemorySegment s) { return (int) EBX.get(s); }
    public static void setEbx(MemorySegment s, int v) { EBX.set(s, v); }
    public static int ecx(MemorySegment s) { return (int) ECX.get(s); }
    public static void setEcx(MemorySegment s, int v) { ECX.set(s, v); }
    public static int edx(MemorySegment s) { return (int) EDX.get(s); }
    public static void setEdx(MemorySegment s, int v) { EDX.set(s, v); }
}
