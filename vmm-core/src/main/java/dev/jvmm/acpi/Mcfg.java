package dev.jvmm.acpi;

import dev.jvmm.memory.GpaRange;

/**
 * The PCI Express memory-mapped configuration table, "MCFG" (PCI Firmware Specification 3.3 section
 * 4.1.2): one allocation for segment 0 covering the first {@code buses} buses of the ECAM window, 1 MiB
 * each, starting at bus 0 (what {@link dev.jvmm.pci.PciEcam} decodes). The window may hold more buses
 * than are described; e820 reserves all of it.
 */
final class Mcfg {
    static final int REVISION = 1;
    private static final long BYTES_PER_BUS = 1L << 20;

    private Mcfg() {
    }

    static byte[] encode(GpaRange ecam, int buses) {
        long room = ecam.length() / BYTES_PER_BUS;
        if (ecam.length() % BYTES_PER_BUS != 0 || room < 1 || room > 256 || !ecam.start().isAligned(BYTES_PER_BUS)) {
            throw new IllegalArgumentException("ECAM window " + ecam + " must be 1 MiB-aligned and hold 1 to 256 buses"
                    + " of 1 MiB each");
        }
        if (buses < 1 || buses > room) {
            throw new IllegalArgumentException("MCFG can describe 1 to " + room + " buses in ECAM window " + ecam
                    + ", not " + buses);
        }
        TableWriter w = TableWriter.table("MCFG", REVISION, "JVMMMCFG");
        w.zeros(8); // reserved
        w.u64(ecam.start().value()).u16(0 /* segment */).u8(0 /* start bus */).u8(buses - 1).u32(0);
        return w.finishTable();
    }
}
