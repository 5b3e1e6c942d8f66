package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.U64;
import static dev.jvmm.kvm.sys.Layouts.array;
import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u64;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_sregs} (asm/kvm.h), the special registers of {@code KVM_GET_SREGS}/{@code KVM_SET_SREGS}:
 * eight {@link KvmSegment}s, two {@link KvmDtable}s, the control registers, EFER, the APIC base and the
 * bitmap of pending external interrupts ({@code KVM_NR_INTERRUPTS} bits).
 *
 * <p>The segment and table accessors return slices of the struct; use {@link KvmSegment} and
 * {@link KvmDtable} on them.
 */
public final class KvmSregs {

    /** {@code (KVM_NR_INTERRUPTS + 63) / 64}: words in {@code interrupt_bitmap}. */
    public static final int INTERRUPT_BITMAP_WORDS = (KvmConstants.KVM_NR_INTERRUPTS + 63) / 64;

    public static final StructLayout LAYOUT = Layouts.struct("kvm_sregs",
            KvmSegment.LAYOUT.withName("cs"),
            KvmSegment.LAYOUT.withName("ds"),
            KvmSegment.LAYOUT.withName("es"),
            KvmSegment.LAYOUT.withName("fs"),
            KvmSegment.LAYOUT.withName("gs"),
            KvmSegment.LAYOUT.withName("ss"),
            KvmSegment.LAYOUT.withName("tr"),
            KvmSegment.LAYOUT.withName("ldt"),
            KvmDtable.LAYOUT.withName("gdt"),
            KvmDtable.LAYOUT.withName("idt"),
            u64("cr0"),
            u64("cr2"),
            u64("cr3"),
            u64("cr4"),
            u64("cr8"),
            u64("efer"),
            u64("apic_base"),
            array("interrupt_bitmap", INTERRUPT_BITMAP_WORDS, U64));

    public static final VarHandle CR0 = field(LAYOUT, "cr0");
    public static final VarHandle CR2 = field(LAYOUT, "cr2");
    public static final VarHandle CR3 = field(LAYOUT, "cr3");
    public static final VarHandle CR4 = field(LAYOUT, "cr4");
    public static final VarHandle CR8 = field(LAYOUT, "cr8");
    public static final VarHandle EFER = field(LAYOUT, "efer");
    public static final VarHandle APIC_BASE = field(LAYOUT, "apic_base");
    public static final VarHandle INTERRUPT_BITMAP =
            field(LAYOUT, PathElement.groupElement("interrupt_bitmap"), PathElement.sequenceElement());

    private KvmSregs() {}

    public static MemorySegment cs(MemorySegment s) { return member(s, "cs", KvmSegment.LAYOUT); }
    public static MemorySegment ds(MemorySegment s) { return member(s, "ds", KvmSegment.LAYOUT); }
    public static MemorySegment es(MemorySegment s) { return member(s, "es", KvmSegment.LAYOUT); }
    public static MemorySegment fs(MemorySegment s) { return member(s, "fs", KvmSegment.LAYOUT); }
    public static MemorySegment gs(MemorySegment s) { return member(s, "gs", KvmSegment.LAYOUT); }
    public static MemorySegment ss(MemorySegment s) { return member(s, "ss", KvmSegment.LAYOUT); }
    public static MemorySegment tr(MemorySegment s) { return member(s, "tr", KvmSegment.LAYOUT); }
    public static MemorySegment ldt(MemorySegment s) { return member(s, "ldt", KvmSegment.LAYOUT); }
    public static MemorySegment gdt(MemorySegment s) { return member(s, "gdt", KvmDtable.LAYOUT); }
    public static MemorySegment idt(MemorySegment s) { return member(s, "idt", KvmDtable.LAYOUT); }

    public static long cr0(MemorySegment s) { return (long) CR0.get(s); }
    public static void setCr0(MemorySegment s, long v) { CR0.set(s, v); }
    public static long cr2(MemorySegment s) { return (long) CR2.get(s); }
    public static void setCr2(MemorySegment s, long v) { CR2.set(s, v); }
    public static long cr3(MemorySegment s) { return (long) CR3.get(s); }
    public static void setCr3(MemorySegment s, long v) { CR3.set(s, v); }
    public static long cr4(MemorySegment s) { return (long) CR4.get(s); }
    public static void setCr4(MemorySegment s, long v) { CR4.set(s, v); }
    public static long cr8(MemorySegment s) { return (long) CR8.get(s); }
    public static void setCr8(MemorySegment s, long v) { CR8.set(s, v); }
    public static long efer(MemorySegment s) { return (long) EFER.get(s); }
    public static void setEfer(MemorySegment s, long v) { EFER.set(s, v); }
    public static long apicBase(MemorySegment s) { return (long) APIC_BASE.get(s); }
    public static void setApicBase(MemorySegment s, long v) { APIC_BASE.set(s, v); }
    public static long interruptBitmap(MemorySegment s, int word) {
        return (long) INTERRUPT_BITMAP.get(s, (long) word);
    }
    public static void setInterruptBitmap(MemorySegment s, int word, long v) {
        INTERRUPT_BITMAP.set(s, (long) word, v);
    }

    private static MemorySegment member(MemorySegment s, String name, MemoryLayout layout) {
        return s.asSlice(LAYOUT.byteOffset(PathElement.groupElement(name)), layout);
    }
}
