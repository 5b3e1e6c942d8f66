package dev.jvmm.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jvmm.kvm.DescriptorTable;
import dev.jvmm.kvm.Segment;
import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.memory.sys.GuestRam;
import org.junit.jupiter.api.Test;

class BootGdtTest {

    /** The fields of a code/data segment descriptor (Intel SDM Vol. 3A, 3.4.5). */
    record Decoded(long base, long limitBytes, int type, boolean s, int dpl, boolean p, boolean l, boolean db) {
        static Decoded of(long d) {
            long base = ((d >>> 16) & 0xff_ffffL) | ((d >>> 56) & 0xff) << 24;
            long limit = (d & 0xffff) | ((d >>> 48) & 0xf) << 16;
            boolean g = ((d >>> 55) & 1) == 1;
            return new Decoded(base, g ? (limit << 12 | 0xfff) + 1 : limit + 1, (int) (d >>> 40) & 0xf,
                    ((d >>> 44) & 1) == 1, (int) (d >>> 45) & 3, ((d >>> 47) & 1) == 1, ((d >>> 53) & 1) == 1,
                    ((d >>> 54) & 1) == 1);
        }
    }

    @Test
    void descriptorsAreLinuxsBootSegments() {
        long[] d = BootGdt.descriptors();
        assertEquals(4, d.length);
        assertEquals(0, d[0]);
        long fourGib = 1L << 32;
        // type 0xb: code, execute/read, accessed; 0x3: data, read/write, accessed
        assertEquals(new Decoded(0, fourGib, 0xb, true, 0, true, false, true), Decoded.of(d[1]));
        assertEquals(new Decoded(0, fourGib, 0xb, true, 0, true, true, false), Decoded.of(d[2]));
        assertEquals(new Decoded(0, fourGib, 0x3, true, 0, true, false, true), Decoded.of(d[3]));
        // the same values as GDT_ENTRY(0xc09b / 0xa09b / 0xc093, 0, 0xfffff) in Linux and Firecracker
        assertArrayEquals(new long[] {0, 0x00cf_9b00_0000_ffffL, 0x00af_9b00_0000_ffffL, 0x00cf_9300_0000_ffffL}, d);
    }

    @Test
    void selectorsAndSegmentRegistersAgreeWithTheTable() {
        assertEquals(0x10, BootGdt.CODE64.selector());
        assertEquals(0x18, BootGdt.DATA.selector());
        assertEquals(0x08, BootGdt.CODE32.selector());
        long[] d = BootGdt.descriptors();
        for (Segment s : new Segment[] {BootGdt.CODE32, BootGdt.CODE64, BootGdt.DATA}) {
            assertEquals(s.gdtEntry(), d[s.selector() >> 3], "descriptor at selector " + s.selector());
        }
    }

    @Test
    void writesTheTableAt0x500AndReturnsTheGdtr() {
        try (GuestRam ram = GuestRam.create(GuestLayout.x86(GuestLayout.MIB), false)) {
            DescriptorTable gdtr = BootGdt.write(ram);
            assertEquals(new DescriptorTable(0x500, 31), gdtr);
            long[] d = BootGdt.descriptors();
            for (int i = 0; i < d.length; i++) {
                assertEquals(d[i], ram.readLong(Gpa.of(0x500 + 8L * i)));
            }
            assertEquals(0, ram.readLong(Gpa.of(0x520)), "nothing past the limit");
        }
    }
}
