package dev.jvmm.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.memory.sys.GuestRam;
import dev.jvmm.pci.PciIntxRouting;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MpTableTest {

    /** What a guest's MP parser sees, decoded independently of the encoder's constants. */
    record Decoded(long physptr, int entryCount, List<int[]> cpus, Map<Integer, String> buses, int[] ioapic,
                   long ioapicAddress, long lapicAddress, List<int[]> intsrc, List<int[]> lintsrc) {
    }

    static Decoded decode(byte[] mem, long base) {
        int f = 0;
        assertEquals("_MP_", new String(mem, f, 4, StandardCharsets.US_ASCII));
        assertEquals(0, sum(mem, f, 16), "floating pointer checksum");
        assertEquals(1, mem[f + 8], "length in paragraphs");
        assertEquals(4, mem[f + 9], "spec 1.4");
        assertArrayEquals(new byte[5], Arrays.copyOfRange(mem, f + 11, f + 16), "feature bytes: table present");
        long physptr = LittleEndian.u32(mem, f + 4);
        int t = (int) (physptr - base);
        assertEquals("PCMP", new String(mem, t, 4, StandardCharsets.US_ASCII));
        int length = LittleEndian.u16(mem, t + 4);
        assertEquals(0, sum(mem, t, length), "configuration table checksum");
        assertEquals(4, mem[t + 6]);
        int count = LittleEndian.u16(mem, t + 34);
        long lapic = LittleEndian.u32(mem, t + 36);

        List<int[]> cpus = new ArrayList<>();
        Map<Integer, String> buses = new TreeMap<>();
        int[] ioapic = null;
        long ioapicAddress = 0;
        List<int[]> intsrc = new ArrayList<>();
        List<int[]> lintsrc = new ArrayList<>();
        int p = t + 44;
        int walked = 0;
        int lastType = 0;
        while (p < t + length) {
            int type = mem[p] & 0xff;
            assertTrue(type >= lastType, "entries sorted by type");
            lastType = type;
            switch (type) {
                case 0 -> {
                    cpus.add(new int[] {mem[p + 1] & 0xff, mem[p + 2] & 0xff, mem[p + 3] & 0xff});
                    p += 20;
                }
                case 1 -> {
                    buses.put(mem[p + 1] & 0xff, new String(mem, p + 2, 6, StandardCharsets.US_ASCII));
                    p += 8;
                }
                case 2 -> {
                    ioapic = new int[] {mem[p + 1] & 0xff, mem[p + 2] & 0xff, mem[p + 3] & 0xff};
                    ioapicAddress = LittleEndian.u32(mem, p + 4);
                    p += 8;
                }
                case 3, 4 -> {
                    int[] e = {mem[p + 1] & 0xff, LittleEndian.u16(mem, p + 2), mem[p + 4] & 0xff,
                            mem[p + 5] & 0xff, mem[p + 6] & 0xff, mem[p + 7] & 0xff};
                    (type == 3 ? intsrc : lintsrc).add(e);
                    p += 8;
                }
                default -> throw new AssertionError("unknown entry type " + type + " at offset " + p);
            }
            walked++;
        }
        assertEquals(t + length, p, "entries end exactly at the table's length");
        assertEquals(walked, count, "entry count");
        return new Decoded(physptr, count, cpus, buses, ioapic, ioapicAddress, lapic, intsrc, lintsrc);
    }

    private static int sum(byte[] b, int off, int len) {
        int s = 0;
        for (int i = off; i < off + len; i++) {
            s += b[i];
        }
        return s & 0xff;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 8, 64, 254})
    void describesEveryCpuTheBusesTheIoapicAndIsaInterrupts(int n) {
        Decoded d = decode(MpTable.encode(n, LowMemory.MP_TABLE), LowMemory.MP_TABLE.value());
        assertEquals(0x9fc10, d.physptr(), "configuration table right after the floating pointer");
        assertEquals(n, d.cpus().size());
        for (int i = 0; i < n; i++) {
            int[] c = d.cpus().get(i);
            assertEquals(i, c[0], "APIC ID");
            assertEquals(0x14, c[1], "LAPIC version");
            assertEquals(i == 0 ? 3 : 1, c[2], "enabled, BSP only on CPU 0");
        }
        assertEquals(Map.of(0, "PCI   ", 1, "ISA   "), d.buses());
        assertArrayEquals(new int[] {n, 0x11, 1}, d.ioapic(), "IOAPIC id = nCpus, version 0x11, usable");
        assertEquals(0xfec0_0000L, d.ioapicAddress());
        assertEquals(0xfee0_0000L, d.lapicAddress());

        assertEquals(15, d.intsrc().size(), "ISA IRQs 0-15 except the cascade IRQ 2");
        Map<Integer, Integer> pins = new TreeMap<>();
        for (int[] e : d.intsrc()) {
            assertEquals(0, e[0], "mp_INT");
            assertEquals(e[3] == 9 ? 0x0d : 0, e[1], "IRQ " + e[3] + ": the SCI (9) is active high (01) and"
                    + " level-triggered (11), every other IRQ conforms to the ISA bus");
            assertEquals(1, e[2], "source bus ISA");
            assertEquals(n, e[4], "to the IOAPIC");
            pins.put(e[3], e[5]);
        }
        Map<Integer, Integer> expected = new TreeMap<>();
        expected.put(0, 2);
        for (int irq = 1; irq < 16; irq++) {
            if (irq != 2) {
                expected.put(irq, irq);
            }
        }
        assertEquals(expected, pins);

        assertEquals(2, d.lintsrc().size());
        assertArrayEquals(new int[] {3, 0, 1, 0, 0, 0}, d.lintsrc().get(0), "ExtINT to the BSP's LINT0");
        assertArrayEquals(new int[] {1, 0, 1, 0, 0xff, 1}, d.lintsrc().get(1), "NMI to every CPU's LINT1");
        assertEquals(n + 2 + 1 + 15 + 2, d.entryCount());
        assertEquals(MpTable.size(n), 16 + 44 + 20 * n + 8 * 20);
    }

    @Test
    void pciInterruptsAreLevelActiveLowEntriesOfBusPciKeyedBySlotAndPin() {
        List<PciIntxRouting.Route> routes = List.of(new PciIntxRouting.Route(3, 1, 19),
                new PciIntxRouting.Route(4, 1, 20), new PciIntxRouting.Route(4, 2, 21),
                new PciIntxRouting.Route(31, 4, 18));
        Decoded d = decode(MpTable.encode(2, LowMemory.MP_TABLE, routes), LowMemory.MP_TABLE.value());
        assertEquals(15 + 4, d.intsrc().size());
        List<int[]> pci = d.intsrc().stream().filter(e -> e[2] == 0).toList();
        assertEquals(4, pci.size(), "source bus 0, the bus named PCI");
        int[][] expected = {{0, 0x0f, 0, 3 << 2, 2, 19}, {0, 0x0f, 0, 4 << 2, 2, 20}, {0, 0x0f, 0, 4 << 2 | 1, 2, 21},
                {0, 0x0f, 0, 31 << 2 | 3, 2, 18}};
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], pci.get(i), "mp_INT, active low + level, bus PCI, slot<<2|INTx, IOAPIC, pin");
        }
        assertEquals(2 + 2 + 1 + 19 + 2, d.entryCount());
        assertEquals(MpTable.size(2, 4), MpTable.encode(2, LowMemory.MP_TABLE, routes).length);
    }

    @Test
    void ioapicPinMappingIsWhatTheTableSays() {
        assertEquals(2, MpTable.ioapicPin(0));
        assertEquals(-1, MpTable.ioapicPin(2));
        assertEquals(1, MpTable.ioapicPin(1));
        assertEquals(15, MpTable.ioapicPin(15));
        assertThrows(IllegalArgumentException.class, () -> MpTable.ioapicPin(16));
    }

    @Test
    void refusesZeroOrMoreCpusThanXapicIdsAllow() {
        assertThrows(IllegalArgumentException.class, () -> MpTable.encode(0, LowMemory.MP_TABLE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MpTable.encode(255, LowMemory.MP_TABLE));
        assertTrue(e.getMessage().contains("1 to 254 vCPUs"), e.getMessage());
    }

    @Test
    void theLargestTableStaysInTheReservedLegacyRangeAndThePointerWhereLinuxScans() {
        GpaRange largest = GpaRange.of(LowMemory.MP_TABLE, MpTable.size(MpTable.MAX_CPUS));
        assertTrue(LowMemory.LEGACY_RESERVED.contains(largest), largest.toString());
        // Linux scans [639 KiB, 640 KiB) for the floating pointer
        assertTrue(GpaRange.of(Gpa.of(639 * 1024), 1024).contains(GpaRange.of(LowMemory.MP_TABLE, 16)));
    }

    @Test
    void writesIntoGuestRamAt0x9fc00() {
        try (GuestRam ram = GuestRam.create(GuestLayout.x86(2 * GuestLayout.MIB), false)) {
            GpaRange written = MpTable.write(ram, 4);
            assertEquals(GpaRange.of(Gpa.of(0x9fc00), MpTable.size(4)), written);
            byte[] mem = ram.read(written.start(), (int) written.length());
            Decoded d = decode(mem, written.start().value());
            assertEquals(4, d.cpus().size());
            assertEquals(0, ram.readByte(Gpa.of(0x9fbff)));
            assertEquals(0, ram.readByte(written.end()));
        }
    }
}
