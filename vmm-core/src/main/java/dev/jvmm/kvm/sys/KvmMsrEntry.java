package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;
import static dev.jvmm.kvm.sys.Layouts.u64;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/** {@code struct kvm_msr_entry} (asm/kvm.h): one model-specific register in a {@link KvmMsrs}. */
public final class KvmMsrEntry {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_msr_entry",
            u32("index"),
            u32("reserved"),
            u64("data"));

    public static final VarHandle INDEX = field(LAYOUT, "index");
    public static final VarHandle DATA = field(LAYOUT, "data");

    private KvmMsrEntry() {}

    public static int index(MemorySegment s) { return (int) INDEX.get(s); }
    public static void setIndex(MemorySegment s, int v) { INDEX.set(s, v); }
    public static long data(MemorySegment s) { return (long) DATA.get(s); }
    public static void setData(MemorySegment s, long v) { DATA.set(s, v); }
}
