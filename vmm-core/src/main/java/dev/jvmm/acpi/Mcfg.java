package dev.jvmm.acpi;

import dev.jvmm.memory.GpaRange;

/**
 * The PCI Express memory-mapped configuration table, "MCFG" (PCI Firmware Specification 3.3 section
 * 4.1.2): one allocation for segment 0 covering as many buses as the ECAM window holds, 1 MiB each,
 * starting at bus 0 (what {@link dev.jvmm.pci.PciEcam} decodes).
 */
final class Mcfg {
    static final int REVISION = 1;
    private static final long BYTES_PER_BUS = 1L << 20;

    private Mcfg() {
    }

    static byte[] encode(GpaRange ecam) {
        long buses = ecam.length() / BYTES_PER_BUS;
        if (ecam.length() % BYTES_PER_BUS != 0 || buses < 1 || buses > 256 || !ecam.start().isAligned(BYTES_PER_BUS)) {
            throw new IllegalArgumentException("ECAM window " + ecam + " must be 1 MiB-aligned and hold 1 to 256 buses"
                    + " of 1 MiB each");
        }
        TableWriter w = TableWriter.table("MCFG", REVISION, "JVMMMCFG");
        w.zeros(8); // reserved
        w.u64(ecam.start().value()).u16(0 /* segment */).u8(0 /* start bus */).u8((int) buses - 1).u32(0);
        return w.finishTable();
    }
}
