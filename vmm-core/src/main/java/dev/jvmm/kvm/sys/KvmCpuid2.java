package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.flexibleArray;
import static dev.jvmm.kvm.sys.Layouts.u32;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_cpuid2} (asm/kvm.h), the argument of {@code KVM_GET_SUPPORTED_CPUID} and
 * {@code KVM_SET_CPUID2}: {@code nent} followed by that many {@link KvmCpuidEntry2}s.
 * {@code KVM_GET_SUPPORTED_CPUID} fails with E2BIG when {@code nent} is too small; callers retry with
 * more room.
 */
public final class KvmCpuid2 {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_cpuid2",
            u32("nent"),
            u32("padding"),
            flexibleArray("entries", KvmCpuidEntry2.LAYOUT));

    public static final VarHandle NENT = field(LAYOUT, "nent");
    public static final long ENTRIES_OFFSET = LAYOUT.byteOffset(PathElement.groupElement("entries"));

    private KvmCpuid2() {}

    /** A zeroed {@code kvm_cpuid2} with room for, and {@code nent} set to, {@code count} entries. */
    public static MemorySegment allocate(Arena arena, int count) {
        MemorySegment s = Layouts.allocateFlexible(arena, LAYOUT, KvmCpuidEntry2.LAYOUT, count);
        setNent(s, count);
        return s;
    }

    /** Entry {@code index}, to be used with {@link KvmCpuidEntry2}. */
    public static MemorySegment entry(MemorySegment s, int index) {
        return Layouts.flexibleEntry(s, ENTRIES_OFFSET, KvmCpuidEntry2.LAYOUT, index);
    }

    public static int nent(MemorySegment s) { return (int) NENT.get(s); }
    public static void setNent(MemorySegment s, int v) { NENT.set(s, v); }
}
