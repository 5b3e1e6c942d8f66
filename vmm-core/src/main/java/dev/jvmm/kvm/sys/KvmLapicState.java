package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.U8;
import static dev.jvmm.kvm.sys.Layouts.array;

import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct kvm_lapic_state} (asm/kvm.h): the local APIC's register page as {@code KVM_GET_LAPIC}
 * returns it, {@code KVM_APIC_REG_SIZE} bytes laid out like the APIC MMIO page (32-bit registers on
 * 16-byte boundaries, e.g. LVT0 at 0x350, LVT1 at 0x360).
 */
public final class KvmLapicState {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_lapic_state",
            array("regs", KvmConstants.KVM_APIC_REG_SIZE, U8));

    private static final long REGS_OFFSET = LAYOUT.byteOffset(PathElement.groupElement("regs"));

    private KvmLapicState() {}

    /** The 32-bit APIC register at byte {@code offset} of the APIC page. */
    public static int reg(MemorySegment s, int offset) {
        return s.get(ValueLayout.JAVA_INT_UNALIGNED, REGS_OFFSET + checkOffset(offset));
    }

    public static void setReg(MemorySegment s, int offset, int value) {
        s.set(ValueLayout.JAVA_INT_UNALIGNED, REGS_OFFSET + checkOffset(offset), value);
    }

    private static long checkOffset(int offset) {
        if (offset < 0 || offset % 16 != 0 || offset > KvmConstants.KVM_APIC_REG_SIZE - 16) {
            throw new IllegalArgumentException(String.format(
                    "APIC register offset 0x%x: registers sit on 16-byte boundaries in 0..0x%x",
                    offset, KvmConstants.KVM_APIC_REG_SIZE - 16));
        }
        return offset;
    }
}
