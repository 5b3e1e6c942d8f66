package dev.jvmm.acpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.acpi.AcpiTableReader.Table;
import dev.jvmm.acpi.AmlReader.Buffer;
import dev.jvmm.acpi.ResourceReader.Address;
import dev.jvmm.acpi.ResourceReader.Io;
import dev.jvmm.acpi.ResourceReader.Memory32Fixed;
import dev.jvmm.acpi.ResourceReader.Resource;
import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.pci.PciBarAllocator;
import dev.jvmm.pci.PciIntxRouting;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DsdtTest {

    static AmlReader namespace(Table dsdt) {
        return AmlReader.parse(Arrays.copyOfRange(dsdt.bytes(), 36, dsdt.bytes().length));
    }

    static List<Resource> crs(AmlReader ns, String device) {
        Object crs = ns.names.get(device + "._CRS");
        assertTrue(crs instanceof Buffer, device + "._CRS is a buffer, got " + crs);
        return ResourceReader.parse(((Buffer) crs).bytes());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8, 254})
    void declaresS5TheHostBridgeTheEcamReservationAndOneProcessorPerVcpu(int vcpus) {
        AcpiTableReader r = AcpiTablesTest.writeAndRead(vcpus);
        Table dsdt = r.get("DSDT");
        assertEquals(2, dsdt.revision(), "revision 2: 64-bit integers (the QWordMemory window)");
        AmlReader ns = namespace(dsdt);

        assertEquals(List.of(5L, 5L, 0L, 0L), ns.names.get("\\_S5_"), "\\_S5: SLP_TYPa, SLP_TYPb, reserved");
        assertEquals((long) AcpiPm.SLP_TYP_S5, ((List<?>) ns.names.get("\\_S5_")).get(0));
        assertEquals(List.of("\\_SB_"), ns.scopes);

        List<String> cpus = ns.devices.stream().filter(d -> d.startsWith("\\_SB_.C")).toList();
        assertEquals(vcpus, cpus.size());
        Set<Long> uids = new TreeSet<>();
        for (String cpu : cpus) {
            assertEquals("ACPI0007", ns.names.get(cpu + "._HID"), cpu);
            uids.add((Long) ns.names.get(cpu + "._UID"));
        }
        Set<Long> madtUids = AcpiTablesTest.madtEntries(r.get("APIC")).lapics().stream()
                .map(l -> (long) l[0]).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(madtUids, uids, "each processor device's _UID is a MADT processor UID");
        assertEquals(vcpus + 2, ns.devices.size(), ns.devices.toString());
    }

    @Test
    void hostBridgeWindowsAreTheLayoutsWindows() {
        GuestLayout layout = GuestLayout.x86(8 * GuestLayout.GIB);
        AmlReader ns = namespace(AcpiTablesTest.image(layout, AcpiConfig.of(2)).get("DSDT"));
        String pci0 = "\\_SB_.PCI0";
        assertTrue(ns.devices.contains(pci0));
        assertEquals("PNP0A08", AmlReader.eisaId(ns.names.get(pci0 + "._HID")), "PCI Express host bridge");
        assertEquals("PNP0A03", AmlReader.eisaId(ns.names.get(pci0 + "._CID")), "compatible with a PCI host bridge");
        assertEquals(0L, ns.names.get(pci0 + "._SEG"));
        assertEquals(0L, ns.names.get(pci0 + "._BBN"));
        assertEquals(0L, ns.names.get(pci0 + "._UID"));

        List<Resource> crs = crs(ns, pci0);
        assertEquals(5, crs.size(), crs.toString());
        // type, general flags (producer, MinFixed, MaxFixed), type flags, granularity, min, max, translation, length
        assertEquals(new Address(0x88, 2, 0x0c, 0, 0, 0, 0, 0, 1), crs.get(0), "bus 0, the only one, as in the MCFG");
        assertEquals(new Io(1, 0xcf8, 0xcf8, 1, 8), crs.get(1), "config mechanism #1 ports");
        assertEquals(new Address(0x88, 1, 0x0c, 3, 0, 0x1000, 0xffff, 0, 0xf000), crs.get(2), "I/O window");
        GpaRange m32 = layout.mmio32Window();
        assertEquals(new Address(0x87, 0, 0x0c, 1, 0, m32.start().value(), m32.last().value(), 0, m32.length()),
                crs.get(3), "32-bit window, read/write, non-prefetchable");
        GpaRange m64 = layout.mmio64Window();
        assertEquals(0x2_4000_0000L, m64.start().value(), "8 GiB of RAM ends at 9 GiB");
        assertEquals(new Address(0x8a, 0, 0x0c, 1, 0, m64.start().value(), m64.last().value(), 0, m64.length()),
                crs.get(4), "64-bit window, read/write, non-prefetchable");

        long ioStart = PciBarAllocator.DEFAULT_IO_START;
        long ioEnd = ioStart + PciBarAllocator.DEFAULT_IO_LENGTH - 1;
        assertTrue(ioStart >= 0x1000 && ioEnd <= 0xffff, "the BAR allocator's I/O ports lie in the window");
        assertTrue(AcpiPm.PORT_BASE + AcpiPm.PORT_COUNT <= 0x1000, "the PM ports are not handed to PCI devices");
        for (GpaRange fixed : List.of(layout.ecamWindow(), GuestLayout.IOAPIC, GuestLayout.LAPIC)) {
            assertFalse(m32.overlaps(fixed) || m64.overlaps(fixed), fixed + " inside a BAR window");
        }
    }

    @Test
    void prtRoutesEverySlotsIntxPinsToTheGsisThePciIntxRoutingUses() {
        AmlReader ns = namespace(AcpiTablesTest.image(GuestLayout.x86(GuestLayout.GIB), AcpiConfig.of(1)).get("DSDT"));
        List<?> prt = (List<?>) ns.names.get("\\_SB_.PCI0._PRT");
        assertEquals(32 * 4, prt.size());
        for (int slot = 0; slot < 32; slot++) {
            for (int pin = 1; pin <= 4; pin++) {
                assertEquals(List.of((long) slot << 16 | 0xffff, (long) pin - 1, 0L, (long) PciIntxRouting.gsi(slot, pin)),
                        prt.get(slot * 4 + pin - 1), "slot " + slot + " INT" + (char) ('A' + pin - 1) + "#");
            }
        }
        assertEquals(List.of(0x3ffffL, 0L, 0L, 19L), prt.get(12), "slot 3 INTA# -> GSI 19");
    }

    @Test
    void ecamIsReservedAsAMotherboardResourceWhereMcfgPutsIt() {
        AcpiTableReader r = AcpiTablesTest.image(GuestLayout.x86(GuestLayout.GIB), AcpiConfig.of(1));
        AmlReader ns = namespace(r.get("DSDT"));
        String ecam = "\\_SB_.ECAM";
        assertEquals("PNP0C02", AmlReader.eisaId(ns.names.get(ecam + "._HID")));
        Table mcfg = r.get("MCFG");
        long length = (mcfg.u8(55) - mcfg.u8(54) + 1L) << 20;
        // The whole window is reserved, as in e820; it holds the buses the MCFG describes.
        assertEquals(List.of(new Memory32Fixed(1, GuestLayout.ECAM_WINDOW.start().value(),
                GuestLayout.ECAM_WINDOW.length())), crs(ns, ecam));
        assertTrue(GuestLayout.ECAM_WINDOW.contains(GpaRange.of(Gpa.of(mcfg.u64(44)), length)));
        assertEquals(GpaRange.of(Gpa.of(0xe000_0000L), 256 * GuestLayout.MIB), GuestLayout.ECAM_WINDOW);
    }
}
