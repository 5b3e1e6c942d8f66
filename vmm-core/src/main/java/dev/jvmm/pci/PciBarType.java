package dev.jvmm.pci;

/** What a base address register decodes, and so which window its address comes from. */
public enum PciBarType {
    /** Port I/O space, 4-256 bytes, below 64 KiB on x86. */
    IO,
    /** Memory space below 4 GiB: one register. */
    MEMORY32,
    /** Memory space anywhere in 64 bits: two registers, this index and the next. */
    MEMORY64;

    /** Whether the BAR is in memory space (decoded when Command.Memory is set) rather than I/O space. */
    public boolean isMemory() {
        return this != IO;
    }

    /** How many of the six BAR registers it takes. */
    public int registers() {
        return this == MEMORY64 ? 2 : 1;
    }
}
