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
 * {@code struct kvm_irq_routing}, the argument of {@code KVM_SET_GSI_ROUTING}: {@code nr} followed by that
 * many {@link KvmIrqRoutingEntry}s. The ioctl replaces the whole table, so every call carries every route.
 */
public final class KvmIrqRouting {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_irq_routing",
            u32("nr"),
            u32("flags"),
            flexibleArray("entries", KvmIrqRoutingEntry.LAYOUT));

    public static final VarHandle NR = field(LAYOUT, "nr");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final long ENTRIES_OFFSET = LAYOUT.byteOffset(PathElement.groupElement("entries"));

    private KvmIrqRouting() {}

    /** A zeroed {@code kvm_irq_routing} with room for, and {@code nr} set to, {@code count} entries. */
    public static MemorySegment allocate(Arena arena, int count) {
        MemorySegment s = Layouts.allocateFlexible(arena, LAYOUT, KvmIrqRoutingEntry.LAYOUT, count);
        setNr(s, count);
        return s;
    }

    /** Entry {@code index}, to be used with {@link KvmIrqRoutingEntry}. */
    public static MemorySegment entry(MemorySegment s, int index) {
        return Layouts.flexibleEntry(s, ENTRIES_OFFSET, KvmIrqRoutingEntry.LAYOUT, index);
    }

    public static int nr(MemorySegment s) { return (int) NR.get(s); }
    public static void setNr(MemorySegment s, int v) { NR.set(s, v); }
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
}
