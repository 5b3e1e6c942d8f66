package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_irq_level}, the argument of {@code KVM_IRQ_LINE}: drive GSI {@code irq} to
 * {@code level} (1 asserted, 0 deasserted). {@code KVM_IRQ_LINE_STATUS} overwrites the same word with
 * {@code status}, hence the anonymous union.
 */
public final class KvmIrqLevel {

    /** The anonymous {@code union { __u32 irq; __s32 status; }}. */
    private static final UnionLayout IRQ_STATUS = MemoryLayout.unionLayout(u32("irq"), u32("status"));

    public static final StructLayout LAYOUT = Layouts.struct("kvm_irq_level",
            IRQ_STATUS,
            u32("level"));

    public static final VarHandle IRQ =
            field(LAYOUT, Layouts.anonymous(LAYOUT, IRQ_STATUS), PathElement.groupElement("irq"));
    public static final VarHandle STATUS =
            field(LAYOUT, Layouts.anonymous(LAYOUT, IRQ_STATUS), PathElement.groupElement("status"));
    public static final VarHandle LEVEL = field(LAYOUT, "level");

    private KvmIrqLevel() {}

    public static int irq(MemorySegment s) { return (int) IRQ.get(s); }
    public static void setIrq(MemorySegment s, int v) { IRQ.set(s, v); }
    public static int status(MemorySegment s) { return (int) STATUS.get(s); }
    public static int level(MemorySegment s) { return (int) LEVEL.get(s); }
    public static void setLevel(MemorySegment s, int v) { LEVEL.set(s, v); }
}
