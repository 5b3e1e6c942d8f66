package dev.jvmm.vfio.config;

/** What a base address register decodes. */
public enum BarKind {
    /** Memory, 32-bit address (BAR type 00b). */
    MEMORY32,
    /** Memory, 64-bit address in this BAR and the next (BAR type 10b). */
    MEMORY64,
    /** I/O ports. */
    IO,
    /** The expansion ROM base address register at 0x30. */
    ROM
}
