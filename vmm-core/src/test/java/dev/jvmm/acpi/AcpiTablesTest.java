package dev.jvmm.acpi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.acpi.AcpiTableReader.Table;
import dev.jvmm.boot.E820;
import dev.jvmm.boot.E820Entry;
import dev.jvmm.boot.E820Type;
import dev.jvmm.boot.LowMemory;
import dev.jvmm.boot.MpTable;
import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.memory.sys.GuestRam;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AcpiTablesTest {
    private static final long MIB = GuestLayout.MIB;
    private static final long GIB = GuestLayout.GIB;

    /** Writes the tables into a small guest and reads the whole BIOS area back. */
    static AcpiTableReader writeAndRead(int vcpus) {
        try (GuestRam ram = GuestRam.create(GuestLayout.x86(2 * MIB), false)) {
            assertEquals(Gpa.of(0xe0000), AcpiTables.write(ram, ram.layout(), vcpus));
            return new AcpiTableReader(ram.read(Gpa.of(AcpiTableReader.AREA_BASE), AcpiTableReader.AREA_SIZE));
        }
    }

    /** The image for any layout, padded to the BIOS area, without guest RAM. */
    static AcpiTableReader image(GuestLayout layout, AcpiConfig config) {
        return new AcpiTableReader(Arrays.copyOf(AcpiTables.image(layout, config), AcpiTableReader.AREA_SIZE));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8, 254})
    void everyTableIsReachableFromTheRsdpWithItsLengthChecksumAndIds(int vcpus) {
        AcpiTableReader r = writeAndRead(vcpus);
        assertEquals(0xe0000, r.rsdp.address(), "RSDP at the first place Linux scans");
        assertEquals(2, r.rsdp.revision());
        assertEquals("JVMM  ", r.rsdp.oemId());

        List<String> pointed = r.xsdtEntries.stream().map(a -> r.table(a, null).signature()).toList();
        assertEquals(List.of("FACP", "APIC", "MCFG"), pointed, "XSDT entries");
        assertEquals(r.xsdtEntries, r.rsdtEntries, "RSDT points at the same tables");
        assertEquals(List.of("XSDT", "RSDT", "FACP", "APIC", "MCFG", "FACS", "DSDT"), List.copyOf(r.tables.keySet()));

        for (Table t : r.tables.values()) {
            if (t.signature().equals("FACS")) {
                continue; // no header: signature, length, then its own fields
            }
            assertEquals("JVMM  ", t.ascii(10, 6), t.signature() + " OEM ID");
            assertEquals("JVMM" + t.signature(), t.ascii(16, 8), t.signature() + " OEM table ID");
            assertEquals("JVMM", t.ascii(28, 4), t.signature() + " creator ID");
            assertEquals(t.bytes().length, t.u32(4), t.signature() + " length field");
        }

        // no two structures overlap, and none reaches the MP table
        List<GpaRange> ranges = new ArrayList<>();
        ranges.add(GpaRange.of(Gpa.of(r.rsdp.address()), r.rsdp.length()));
        r.tables.values().forEach(t -> ranges.add(GpaRange.of(Gpa.of(t.address()), t.bytes().length)));
        ranges.sort(Comparator.comparing(GpaRange::start));
        for (int i = 1; i < ranges.size(); i++) {
            assertFalse(ranges.get(i - 1).overlaps(ranges.get(i)), ranges.get(i - 1) + " overlaps " + ranges.get(i));
        }
        GpaRange mpTable = GpaRange.of(LowMemory.MP_TABLE, MpTable.size(vcpus));
        for (GpaRange range : ranges) {
            assertTrue(LowMemory.ACPI_TABLES.contains(range), range + " outside " + LowMemory.ACPI_TABLES);
            assertTrue(LowMemory.LEGACY_RESERVED.contains(range), range + " is not reserved in e820");
            assertFalse(range.overlaps(mpTable), range + " overlaps the MP table " + mpTable);
        }
    }

    @Test
    void theBiosAreaIsReservedInE820AndDisjointFromTheLargestMpTable() {
        GpaRange largestMp = GpaRange.of(LowMemory.MP_TABLE, MpTable.size(MpTable.MAX_CPUS));
        assertFalse(largestMp.overlaps(LowMemory.ACPI_TABLES));
        assertEquals(GpaRange.ofInclusive(Gpa.of(0xe0000), Gpa.of(0xfffff)), LowMemory.ACPI_TABLES);
        List<E820Entry> e820 = E820.forLayout(GuestLayout.x86(GIB));
        assertTrue(e820.stream().anyMatch(e -> e.type() == E820Type.RESERVED
                && GpaRange.of(e.addr(), e.size()).contains(LowMemory.ACPI_TABLES)), e820.toString());
    }

    @Test
    void writingLeavesTheMpTableAndRamOutsideTheImageAlone() {
        try (GuestRam ram = GuestRam.create(GuestLayout.x86(2 * MIB), false)) {
            ram.write(Gpa.of(0x10_0000), new byte[] {0x5a});
            ram.write(Gpa.of(0xdffff), new byte[] {0x5a});
            MpTable.write(ram, 8);
            AcpiTables.write(ram, ram.layout(), 8);
            assertArrayEquals(MpTable.encode(8, LowMemory.MP_TABLE), ram.read(LowMemory.MP_TABLE, MpTable.size(8)));
            assertEquals(0x5a, ram.readByte(Gpa.of(0x10_0000)));
            assertEquals(0x5a, ram.readByte(Gpa.of(0xdffff)));
        }
    }

    @Test
    void fadtDescribesTheFixedHardwarePmBlocksAndSci() {
        AcpiTableReader r = writeAndRead(2);
        Table f = r.get("FACP");
        assertEquals(276, f.bytes().length, "ACPI 6.3+ FADT length");
        assertEquals(6, f.revision());
        assertEquals(3, f.u8(131), "FADT minor version");
        long facs = r.get("FACS").address();
        long dsdt = r.get("DSDT").address();
        assertEquals(facs, f.u32(36), "FIRMWARE_CTRL");
        assertEquals(dsdt, f.u32(40), "DSDT");
        assertEquals(facs, f.u64(132), "X_FIRMWARE_CTRL");
        assertEquals(dsdt, f.u64(140), "X_DSDT");
        assertEquals(9, f.u16(46), "SCI_INT");
        assertEquals(0, f.u32(48), "SMI_CMD: no SMI, ACPI mode from reset");
        assertEquals(0, f.u8(52) | f.u8(53), "ACPI_ENABLE / ACPI_DISABLE");
        assertEquals(0x600, f.u32(56), "PM1a_EVT_BLK");
        assertEquals(0x604, f.u32(64), "PM1a_CNT_BLK");
        for (int off : new int[] {60, 68, 72, 76, 80, 84}) {
            assertEquals(0, f.u32(off), "PM1b/PM2/PM_TMR/GPE block at FADT offset " + off);
        }
        assertEquals(4, f.u8(88), "PM1_EVT_LEN");
        assertEquals(2, f.u8(89), "PM1_CNT_LEN");
        assertArrayEquals(new byte[6], Arrays.copyOfRange(f.bytes(), 90, 96), "PM2/PM_TMR/GPE lengths, GPE1_BASE, CST");
        assertTrue(f.u16(96) > 100 && f.u16(98) > 1000, "no C2, no C3");

        int bootArch = f.u16(109);
        assertEquals(1, bootArch & 1, "LEGACY_DEVICES: the ISA UART");
        assertEquals(2, bootArch & 2, "8042 present: jvmm emulates the i8042");
        assertEquals(4, bootArch & 4, "VGA not present");
        assertEquals(0x20, bootArch & 0x20, "CMOS RTC not present");
        assertEquals(0, bootArch & 8, "MSI supported");

        long flags = f.u32(112);
        assertEquals(0, flags & (1 << 20), "not HW_REDUCED_ACPI: PM1 fixed hardware is used");
        assertEquals(0, flags & (1 << 4), "PWR_BUTTON clear: fixed-feature power button");
        assertEquals(1 << 5, flags & (1 << 5), "SLP_BUTTON set: no fixed sleep button");
        assertEquals(0, flags & (1 << 10), "RESET_REG_SUP clear: no reset register is emulated");
        assertArrayEquals(new byte[13], Arrays.copyOfRange(f.bytes(), 116, 129), "RESET_REG and RESET_VALUE");

        assertGas(f, 148, 1, 32, 0x600, "X_PM1a_EVT_BLK");
        assertGas(f, 172, 1, 16, 0x604, "X_PM1a_CNT_BLK");
        for (int off = 160; off < 268; off += 12) {
            if (off != 172) {
                assertArrayEquals(new byte[12], Arrays.copyOfRange(f.bytes(), off, off + 12), "GAS at " + off);
            }
        }
        assertEquals("JVMM    ", f.ascii(268, 8), "hypervisor vendor identity");

        // the device the FADT describes is AcpiPm
        assertEquals(AcpiPm.PM1A_EVT_BLK, f.u32(56));
        assertEquals(AcpiPm.PM1A_CNT_BLK, f.u32(64));
        assertEquals(AcpiPm.PM1_EVT_LEN + AcpiPm.PM1_CNT_LEN, AcpiPm.PORT_COUNT);
        assertEquals(AcpiPm.SCI_IRQ, f.u16(46));

        Table facsTable = r.get("FACS");
        assertEquals(2, facsTable.u8(32), "FACS version");
        assertEquals(0, facsTable.u32(16), "global lock free");
        assertEquals(0, facsTable.u32(12), "no waking vector");
    }

    private static void assertGas(Table t, int off, int space, int bitWidth, long address, String what) {
        assertEquals(space, t.u8(off), what + " address space (1 = system I/O)");
        assertEquals(bitWidth, t.u8(off + 1), what + " bit width = 8 x the legacy length");
        assertEquals(0, t.u8(off + 2), what + " bit offset");
        assertEquals(address, t.u64(off + 4), what + " address");
    }

    @Test
    void fadtLegacyFlagsFollowTheConfig() {
        Table f = image(GuestLayout.x86(GIB), new AcpiConfig(1, false, true)).get("FACP");
        assertEquals(0, f.u16(109) & 2, "no 8042");
        assertEquals(0, f.u16(109) & 0x20, "CMOS RTC present");
    }

    record MadtEntries(List<int[]> lapics, List<long[]> ioapics, List<long[]> overrides, List<int[]> nmis) {
    }

    static MadtEntries madtEntries(Table m) {
        MadtEntries e = new MadtEntries(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        int p = 44;
        while (p < m.bytes().length) {
            int type = m.u8(p);
            int len = m.u8(p + 1);
            switch (type) {
                case 0 -> {
                    assertEquals(8, len);
                    e.lapics().add(new int[] {m.u8(p + 2), m.u8(p + 3), (int) m.u32(p + 4)});
                }
                case 1 -> {
                    assertEquals(12, len);
                    assertEquals(0, m.u8(p + 3), "reserved");
                    e.ioapics().add(new long[] {m.u8(p + 2), m.u32(p + 4), m.u32(p + 8)});
                }
                case 2 -> {
                    assertEquals(10, len);
                    e.overrides().add(new long[] {m.u8(p + 2), m.u8(p + 3), m.u32(p + 4), m.u16(p + 8)});
                }
                case 4 -> {
                    assertEquals(6, len);
                    e.nmis().add(new int[] {m.u8(p + 2), m.u16(p + 3), m.u8(p + 5)});
                }
                default -> throw new AssertionError("unexpected MADT entry type " + type);
            }
            p += len;
        }
        assertEquals(m.bytes().length, p, "entries end exactly at the table's length");
        return e;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8, 254})
    void madtListsEveryVcpuTheIoapicTheOverridesAndTheNmi(int vcpus) {
        Table m = writeAndRead(vcpus).get("APIC");
        assertEquals(5, m.revision());
        assertEquals(0xfee0_0000L, m.u32(36), "local APIC address");
        assertEquals(1, m.u32(40), "PCAT_COMPAT");
        assertEquals(44 + 8 * vcpus + 12 + 2 * 10 + 6, m.bytes().length);
        MadtEntries e = madtEntries(m);

        assertEquals(vcpus, e.lapics().size());
        for (int i = 0; i < vcpus; i++) {
            assertArrayEquals(new int[] {i, i, 1}, e.lapics().get(i), "processor UID, APIC ID, enabled for CPU " + i);
        }
        assertEquals(1, e.ioapics().size());
        assertArrayEquals(new long[] {vcpus, 0xfec0_0000L, 0}, e.ioapics().get(0), "IOAPIC id, address, GSI base");
        assertTrue(e.lapics().stream().noneMatch(l -> l[1] == vcpus), "IOAPIC ID differs from every APIC ID");

        assertEquals(2, e.overrides().size());
        assertArrayEquals(new long[] {0, 0, MpTable.ioapicPin(0), 0}, e.overrides().get(0),
                "ISA IRQ 0 -> GSI 2, conforming (edge, high), as the MP table wires the PIT");
        assertArrayEquals(new long[] {0, 9, 9, 0x0d}, e.overrides().get(1),
                "ISA IRQ 9 -> GSI 9, active high (01) and level-triggered (11): the SCI");
        assertEquals(1, e.nmis().size());
        assertArrayEquals(new int[] {0xff, 0, 1}, e.nmis().get(0), "NMI on LINT1 of all processors");
    }

    @Test
    void madtAndMpTableDescribeTheSameIsaWiring() {
        MadtEntries e = madtEntries(writeAndRead(2).get("APIC"));
        java.util.Map<Integer, long[]> overrides = new java.util.HashMap<>();
        e.overrides().forEach(o -> overrides.put((int) o[1], o));
        for (int irq = 0; irq < MpTable.ISA_IRQS; irq++) {
            if (MpTable.ioapicPin(irq) < 0) {
                continue;
            }
            long[] o = overrides.get(irq);
            // Without an override, ACPI says ISA IRQ n is GSI n, edge, active high: the MP table's "conforms".
            long gsi = o == null ? irq : o[2];
            long flags = o == null ? 0 : o[3];
            assertEquals(MpTable.ioapicPin(irq), gsi, "IOAPIC pin of ISA IRQ " + irq);
            assertEquals(MpTable.irqFlags(irq), flags, "polarity and trigger of ISA IRQ " + irq
                    + " (MPS INTI flags in both tables)");
        }
        assertEquals(AcpiPm.SCI_IRQ, MpTable.SCI_IRQ);
    }

    @Test
    void mcfgCoversBusZeroInTheEcamWindowThatE820Reserves() {
        GuestLayout layout = GuestLayout.x86(GIB);
        Table m = image(layout, AcpiConfig.of(1)).get("MCFG");
        assertEquals(60, m.bytes().length);
        assertEquals(1, m.revision());
        assertEquals(0, m.u64(36), "reserved");
        assertEquals(0xe000_0000L, m.u64(44), "base address");
        assertEquals(0, m.u16(52), "segment");
        assertEquals(0, m.u8(54), "start bus");
        assertEquals(0, m.u8(55), "end bus: jvmm has bus 0 only (Linux probes every described bus for bridges)");
        assertEquals(0, m.u32(56), "reserved");
        GpaRange described = GpaRange.of(Gpa.of(m.u64(44)), (m.u8(55) - m.u8(54) + 1L) << 20);
        assertTrue(layout.ecamWindow().contains(described), described.toString());
        assertTrue(E820.forLayout(layout).stream().anyMatch(e -> e.type() == E820Type.RESERVED
                && e.range().contains(described)), "Linux's early MMCONFIG check wants the area reserved in e820");
    }

    @Test
    void refusesVcpuCountsTheMadtCannotDescribe() {
        assertThrows(IllegalArgumentException.class, () -> AcpiConfig.of(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AcpiConfig.of(255));
        assertTrue(e.getMessage().contains("1 to 254 vCPUs"), e.getMessage());
    }
}
