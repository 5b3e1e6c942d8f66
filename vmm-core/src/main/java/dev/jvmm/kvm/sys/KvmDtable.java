package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.array;
import static dev.jvmm.kvm.sys.Layouts.checkU16;
import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.U16;
import static dev.jvmm.kvm.sys.Layouts.u16;
import static dev.jvmm.kvm.sys.Layouts.u64;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/** {@code struct kvm_dtable} (asm/kvm.h): a descriptor-table register (GDTR or IDTR) in {@link KvmSregs}. */
public final class KvmDtable {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_dtable",
            u64("base"),
            u16("limit"),
            array("padding", 3, U16));

    public static final VarHandle BASE = field(LAYOUT, "base");
    public static final VarHandle LIMIT = field(LAYOUT, "limit");

    private KvmDtable() {}

    public static long base(MemorySegment s) { return (long) BASE.get(s); }
    public static void setBase(MemorySegment s, long v) { BASE.set(s, v); }
    public static int limit(MemorySegment s) { return Short.toUnsignedInt((short) LIMIT.get(s)); }
    public static void setLimit(MemorySegment s, int v) { LIMIT.set(s, checkU16("limit", v)); }
}
