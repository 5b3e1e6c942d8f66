package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.U32;
import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.flexibleArray;
import static dev.jvmm.kvm.sys.Layouts.u32;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_msr_list} (asm/kvm.h), the argument of {@code KVM_GET_MSR_INDEX_LIST}: in, the room
 * in {@code indices}; out, how many MSR indices KVM knows. Too little room fails with E2BIG after
 * {@code nmsrs} was set to the count needed, so callers ask twice.
 */
public final class KvmMsrList {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_msr_list",
            u32("nmsrs"),
            flexibleArray("indices", U32));

    public static final VarHandle NMSRS = field(LAYOUT, "nmsrs");
    public static final long INDICES_OFFSET = LAYOUT.byteOffset(PathElement.groupElement("indices"));

    private KvmMsrList() {}

    /** A zeroed {@code kvm_msr_list} with room for, and {@code nmsrs} set to, {@code count} indices. */
    public static MemorySegment allocate(Arena arena, int count) {
        MemorySegment s = Layouts.allocateFlexible(arena, LAYOUT, U32, count);
        setNmsrs(s, count);
        return s;
    }

    public static int index(MemorySegment s, int i) {
        return Layouts.flexibleEntry(s, INDICES_OFFSET, U32, i).get(U32, 0);
    }

    public static int nmsrs(MemorySegment s) { return (int) NMSRS.get(s); }
    public static void setNmsrs(MemorySegment s, int v) { NMSRS.set(s, v); }
}
