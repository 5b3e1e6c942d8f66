package dev.jvmm.boot;

import dev.jvmm.kvm.DescriptorTable;
import dev.jvmm.kvm.Segment;
import dev.jvmm.memory.sys.GuestRam;

/**
 * The boot GDT at 0x500 with Linux's boot selectors (arch/x86/include/asm/segment.h):
 * <pre>
 *  0x00  null
 *  0x08  flat 32-bit code    (what a 32-bit protected-mode entry would use)
 *  0x10  flat 64-bit code    __BOOT_CS
 *  0x18  flat data           __BOOT_DS
 * </pre>
 * The 64-bit boot protocol wants CS = __BOOT_CS and DS/ES/SS = __BOOT_DS with these descriptors in a
 * GDT in memory; the segment registers set through KVM_SET_SREGS must match what the descriptors say
 * ({@link #CODE64}, {@link #DATA}), since anything that reloads a selector (iretq, an interrupt) reads
 * the descriptor from guest RAM.
 */
public final class BootGdt {
    public static final int CODE32_SELECTOR = 0x08;
    public static final int BOOT_CS = 0x10;
    public static final int BOOT_DS = 0x18;
    public static final Segment CODE32 = Segment.flatCode(CODE32_SELECTOR, false);
    public static final Segment CODE64 = Segment.flatCode(BOOT_CS, true);
    public static final Segment DATA = Segment.flatData(BOOT_DS);
    public static final int ENTRIES = 4;

    private BootGdt() {
    }

    /** The descriptors, index = selector / 8. */
    public static long[] descriptors() {
        return new long[] {0L, CODE32.gdtEntry(), CODE64.gdtEntry(), DATA.gdtEntry()};
    }

    /** Writes the GDT at {@link LowMemory#GDT} and returns the GDTR value. */
    public static DescriptorTable write(GuestRam ram) {
        long[] d = descriptors();
        byte[] bytes = new byte[d.length * 8];
        for (int i = 0; i < d.length; i++) {
            LittleEndian.put64(bytes, i * 8, d[i]);
        }
        ram.write(LowMemory.GDT, bytes);
        return gdtr();
    }

    /** Base 0x500, limit = size in bytes minus one. */
    public static DescriptorTable gdtr() {
        return new DescriptorTable(LowMemory.GDT.value(), ENTRIES * 8 - 1);
    }
}
