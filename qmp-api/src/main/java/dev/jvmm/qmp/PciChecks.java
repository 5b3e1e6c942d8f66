package dev.jvmm.qmp;

/** Argument checks shared by the PCI records. */
final class PciChecks {

    private PciChecks() {
    }

    static void range(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    what + " " + value + " is outside " + min + ".." + max + " (0x" + Integer.toHexString(max) + ")");
        }
    }

    static void bar(int bar, long address, long size) {
        range("bar", bar, 0, 6);
        if (size <= 0) {
            throw new IllegalArgumentException("BAR " + bar + " has size " + size + "; list only implemented BARs");
        }
        if (address < 0 && address != PciMemoryRegion.UNASSIGNED) {
            throw new IllegalArgumentException("BAR " + bar + " address " + Long.toHexString(address)
                    + " is negative; use PciMemoryRegion.UNASSIGNED (-1) for a BAR not programmed yet");
        }
    }
}
