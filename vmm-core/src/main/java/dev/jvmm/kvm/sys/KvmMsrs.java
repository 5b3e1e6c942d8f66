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
 * {@code struct kvm_msrs} (asm/kvm.h), the argument of {@code KVM_GET_MSRS}/{@code KVM_SET_MSRS}:
 * {@code nmsrs} followed by that many {@link KvmMsrEntry}s. The ioctls return how many entries they
 * processed, which can be fewer than {@code nmsrs}.
 */
public final class KvmMsrs {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_msrs",
            u32("nmsrs"),
            u32("pad"),
            flexibleArray("entries", KvmMsrEntry.LAYOUT));

    public static final VarHandle NMSRS = field(LAYOUT, "nmsrs");
    public static final long ENTRIES_OFFSET = LAYOUT.byteOffset(PathElement.groupElement("entries"));

    private KvmMsrs() {}

    /** A zeroed {@code kvm_msrs} with room for, and {@code nmsrs} set to, {@code count} entries. */
    public static MemorySegment allocate(Arena arena, int count) {
        MemorySegment s = Layouts.allocateFlexible(arena, LAYOUT, KvmMsrEntry.LAYOUT, count);
        setNmsrs(s, count);
        return s;
    }

    /** Entry {@code index}, to be used with {@link KvmMsrEntry}. */
    public static MemorySegment entry(MemorySegment s, int index) {
        return Layouts.flexibleEntry(s, ENTRIES_OFFSET, KvmMsrEntry.LAYOUT, index);
    }

    public static int nmsrs(MemorySegment s) { return (int) NMSRS.get(s); }
    public static void setNmsrs(MemorySegment s, int v) { NMSRS.set(s, v); }
}
