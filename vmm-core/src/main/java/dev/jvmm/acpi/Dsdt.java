package dev.jvmm.acpi;

import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.pci.PciBus;
import dev.jvmm.pci.PciConfigIo;
import dev.jvmm.pci.PciIntxRouting;
import java.util.ArrayList;
import java.util.List;

/**
 * The Differentiated System Description Table, "DSDT" (ACPI 6.5 section 5.2.11.1), revision 2 (64-bit
 * integers). Its AML declares, in ASL terms:
 *
 * <pre>
 *  Name (\_S5, Package () { 5, 5, 0, 0 })        // soft off: SLP_TYP 5, as AcpiPm expects
 *  Scope (\_SB) {
 *    Device (PCI0) {                              // the PCIe host bridge, segment 0, bus 0
 *      Name (_HID, EisaId ("PNP0A08"))  Name (_CID, EisaId ("PNP0A03"))
 *      Name (_UID, 0)  Name (_SEG, 0)  Name (_BBN, 0)
 *      Name (_CRS, ResourceTemplate () {
 *        WordBusNumber (0-0)                       // AcpiTables.PCI_BUSES: jvmm has no bridges
 *        IO (Decode16, 0xcf8, 0xcf8, 1, 8)         // configuration mechanism #1
 *        WordIO (0x1000-0xffff)                    // I/O BARs (the allocator uses 0xc000-0xffff)
 *        DWordMemory (the 32-bit MMIO window)
 *        QWordMemory (the 64-bit MMIO window) })
 *      Name (_PRT, Package () {                   // INTx: slot s pin p -> GSI 16 + (s + p) mod 8
 *        Package () { 0x0000FFFF, 0, Zero, 16 }, Package () { 0x0000FFFF, 1, Zero, 17 }, ...
 *        Package () { 0x001FFFFF, 3, Zero, 18 } })
 *    }
 *    Device (ECAM) {                              // motherboard resource reserving the MCFG area
 *      Name (_HID, EisaId ("PNP0C02"))  Name (_UID, 0)
 *      Name (_CRS, ResourceTemplate () { Memory32Fixed (ReadWrite, ECAM base, ECAM length) })
 *    }
 *    Device (C000) { Name (_HID, "ACPI0007")  Name (_UID, 0) }   // one per vCPU, _UID = MADT UID
 *    ...
 *  }
 * </pre>
 *
 * <p>Why PCI0 is needed: with ACPI enabled, x86 Linux enumerates PCI only below ACPI host bridges
 * (pci_acpi_init succeeds, so pci_legacy_init never scans bus 0). Why ECAM: Linux's early MCFG check
 * (arch/x86/pci/mmconfig-shared.c, pci_mmcfg_reserved) accepts the area when configuration mechanism #1
 * works and the area is reserved in e820, which {@link dev.jvmm.boot.E820} does (6.1 always checks e820;
 * 6.10 and later only for firmware dated before 2016 or undated, as here without SMBIOS, and accept it
 * unchecked otherwise). The later checks (host bridges added after boot, or when the early one was
 * skipped) look for the area in a PNP0C01/PNP0C02 _CRS, where the PCI Firmware Specification 3.3
 * section 4.1.2 requires it: ECAM provides that. Both windows are
 * non-cacheable (non-prefetchable), so a non-prefetchable 64-bit BAR placed in the 64-bit window is
 * accepted by Linux where it lies. _PRT (ACPI 6.5 section 6.2.13) gives every slot's four INTx pins,
 * hard-wired (Source Zero) to the GSI {@link PciIntxRouting} assigns, which is where an assigned
 * device's irqfd raises it; such GSIs are level-triggered, active low. Without it Linux with ACPI finds no
 * GSI for a PCI interrupt pin. The MP table describes the same routes for a guest without ACPI. There is
 * no _OSC, so Linux keeps native PCIe hotplug, AER and PME off.
 */
final class Dsdt {
    static final int REVISION = 2;
    /** The I/O window given to PCI devices: everything above the legacy ports and the PM block. */
    static final int PCI_IO_MIN = 0x1000;
    static final int PCI_IO_MAX = 0xffff;

    private Dsdt() {
    }

    static byte[] encode(GuestLayout layout, int vcpus) {
        TableWriter w = TableWriter.table("DSDT", REVISION, "JVMMDSDT");
        w.bytes(aml(layout, vcpus));
        return w.finishTable();
    }

    /** The AML body (the DSDT without its header). */
    static byte[] aml(GuestLayout layout, int vcpus) {
        List<byte[]> sb = new ArrayList<>();
        sb.add(pci0(layout));
        sb.add(ecamReservation(layout.ecamWindow()));
        for (int cpu = 0; cpu < vcpus; cpu++) {
            sb.add(Aml.device(String.format("C%03X", cpu),
                    Aml.name("_HID", Aml.string("ACPI0007")),
                    Aml.name("_UID", Aml.integer(cpu))));
        }
        return Aml.concat(
                Aml.name("\\_S5", Aml.pkg(Aml.integer(AcpiPm.SLP_TYP_S5), Aml.integer(AcpiPm.SLP_TYP_S5),
                        Aml.integer(0), Aml.integer(0))),
                Aml.scope("\\_SB", sb.toArray(byte[][]::new)));
    }

    private static byte[] pci0(GuestLayout layout) {
        GpaRange mmio32 = layout.mmio32Window();
        GpaRange mmio64 = layout.mmio64Window();
        int cf8 = (int) PciConfigIo.PORT_BASE;
        return Aml.device("PCI0",
                Aml.name("_HID", Aml.eisaId("PNP0A08")),
                Aml.name("_CID", Aml.eisaId("PNP0A03")),
                Aml.name("_UID", Aml.integer(0)),
                Aml.name("_SEG", Aml.integer(0)),
                Aml.name("_BBN", Aml.integer(0)),
                Aml.name("_CRS", Aml.resourceTemplate(
                        Aml.wordBusNumber(0, AcpiTables.PCI_BUSES - 1),
                        Aml.io(cf8, cf8, 1, PciConfigIo.PORT_COUNT),
                        Aml.wordIo(PCI_IO_MIN, PCI_IO_MAX),
                        Aml.dwordMemory(mmio32.start().value(), mmio32.last().value()),
                        Aml.qwordMemory(mmio64.start().value(), mmio64.last().value()))),
                Aml.name("_PRT", prt()));
    }

    /** One entry per slot and INTx pin: Address (slot << 16 | 0xFFFF: any function), Pin (0 = INTA#), Source, GSI. */
    static byte[] prt() {
        List<byte[]> entries = new ArrayList<>();
        for (int slot = 0; slot < PciBus.DEVICES; slot++) {
            for (int pin = 1; pin <= 4; pin++) {
                entries.add(Aml.pkg(Aml.integer((long) slot << 16 | 0xffff), Aml.integer(pin - 1), Aml.integer(0),
                        Aml.integer(PciIntxRouting.gsi(slot, pin))));
            }
        }
        return Aml.pkg(entries.toArray(byte[][]::new));
    }

    private static byte[] ecamReservation(GpaRange ecam) {
        return Aml.device("ECAM",
                Aml.name("_HID", Aml.eisaId("PNP0C02")),
                Aml.name("_UID", Aml.integer(0)),
                Aml.name("_CRS", Aml.resourceTemplate(Aml.memory32Fixed(ecam.start().value(), ecam.length()))));
    }
}
