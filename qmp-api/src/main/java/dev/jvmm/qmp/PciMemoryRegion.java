package dev.jvmm.qmp;

/**
 * One implemented BAR or the expansion ROM of a PCI function ({@code PciMemoryRegion}).
 * {@link #address()} is {@link #UNASSIGNED} (-1 on the wire) until the guest programs the BAR.
 */
public sealed interface PciMemoryRegion {

    /** The {@code address} of a BAR the guest has not programmed yet. */
    long UNASSIGNED = -1;

    /** BAR index 0..5, or 6 for the expansion ROM. */
    int bar();

    /** The guest address, or {@link #UNASSIGNED}. */
    long address();

    /** Size in bytes. */
    long size();

    /** An I/O-port BAR ({@code "type": "io"}). */
    record Io(int bar, long address, long size) implements PciMemoryRegion {
        public Io {
            PciChecks.bar(bar, address, size);
        }
    }

    /** A memory BAR or ROM ({@code "type": "memory"}). */
    record Memory(int bar, long address, long size, boolean prefetchable, boolean is64Bit)
            implements PciMemoryRegion {
        public Memory {
            PciChecks.bar(bar, address, size);
        }
    }
}
