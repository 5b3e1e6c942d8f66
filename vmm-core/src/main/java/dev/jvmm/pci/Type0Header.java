package dev.jvmm.pci;

import static dev.jvmm.pci.PciRegisters.*;

import java.util.List;

/**
 * The guest-writable fields of a type 0 header, as data. Every byte not listed here (and not a BAR or
 * a capability register a device opens up) is read-only: IDs, class, header type, BIST, latency timer
 * (hardwired 0 on PCIe), subsystem IDs, capability pointer, interrupt pin, Min_Gnt/Max_Lat.
 */
final class Type0Header {
    private Type0Header() {
    }

    /** One register: which bits software may set, and which it clears by writing 1. */
    record Field(String name, int offset, int size, int writable, int writeOneToClear, String reference) {
    }

    static final List<Field> WRITABLE_FIELDS = List.of(
            // Not writable: Special Cycles, Memory Write and Invalidate, VGA Palette Snoop, Fast Back-to-Back
            // (obsolete or hardwired 0 on PCIe). Same set as QEMU's pci_init_wmask.
            new Field("Command", COMMAND, 2,
                    COMMAND_IO | COMMAND_MEMORY | COMMAND_MASTER | COMMAND_PARITY | COMMAND_SERR | COMMAND_INTX_DISABLE,
                    0, "PCI 3.0 section 6.2.2"),
            new Field("Status", STATUS, 2, 0, STATUS_WRITE_1_TO_CLEAR, "PCI 3.0 section 6.2.3"),
            new Field("Cache Line Size", CACHE_LINE_SIZE, 1, 0xff, 0, "PCI 3.0 section 6.2.4"),
            new Field("Interrupt Line", INTERRUPT_LINE, 1, 0xff, 0, "PCI 3.0 section 6.2.4"));

    static void apply(PciConfigSpace config, PciIdentity id) {
        config.set(VENDOR_ID, 2, id.vendorId());
        config.set(DEVICE_ID, 2, id.deviceId());
        config.set(REVISION_ID, 1, id.revisionId());
        config.set(CLASS_PROG, 1, id.classCode() & 0xff);
        config.set(CLASS_PROG + 1, 2, id.classCode() >>> 8);
        config.set(HEADER_TYPE, 1, 0);
        config.set(SUBSYSTEM_VENDOR_ID, 2, id.subsystemVendorId());
        config.set(SUBSYSTEM_ID, 2, id.subsystemId());
        for (Field f : WRITABLE_FIELDS) {
            config.setWritable(f.offset(), f.size(), f.writable());
            config.setWriteOneToClear(f.offset(), f.size(), f.writeOneToClear());
        }
    }
}
