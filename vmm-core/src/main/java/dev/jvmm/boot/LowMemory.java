package dev.jvmm.boot;

import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GpaRange;

/**
 * Where the direct-boot path puts things in the first megabyte of guest RAM (the same places
 * Firecracker uses), and where the kernel goes above it.
 *
 * <pre>
 *  0x0_0500            GDT: null, 0x08 code32, 0x10 code64 (__BOOT_CS), 0x18 data (__BOOT_DS)
 *  0x0_7000            zero page (struct boot_params), 4 KiB; RSI points here
 *  0x0_8000 - 0x0_8ff0 initial stack, RSP = 0x8ff0, grows down
 *  0x0_9000            PML4, 0xa000 PDPT, 0xb000 - 0xefff four page directories (2 MiB pages, 4 GiB)
 *  0x2_0000            kernel command line, NUL-terminated
 *  0x9_fc00            MP floating pointer + configuration table (the last KiB below 640 KiB, one of
 *                      the places Linux scans for "_MP_")
 *  0x9_fc00 - 0xf_ffff reserved in e820 (EBDA, VGA, option ROMs and BIOS on a PC)
 *  0xe_0000 - 0xf_ffff ACPI tables, RSDP first at 0xe0000 (the BIOS area Linux scans for "RSD PTR ")
 *  0x10_0000 (1 MiB)   kernel: protected-mode code of the bzImage, at or above this
 * </pre>
 */
public final class LowMemory {
    public static final Gpa GDT = Gpa.of(0x500);
    public static final Gpa ZERO_PAGE = Gpa.of(0x7000);
    public static final Gpa STACK_TOP = Gpa.of(0x8ff0);
    public static final Gpa PML4 = Gpa.of(0x9000);
    public static final Gpa PDPT = Gpa.of(0xa000);
    public static final Gpa PD = Gpa.of(0xb000);
    public static final Gpa CMDLINE = Gpa.of(0x2_0000);
    public static final Gpa MP_TABLE = Gpa.of(0x9_fc00);
    /**
     * [0xe0000, 1 MiB): the BIOS read-only area, where Linux scans for the ACPI RSDP on 16-byte
     * boundaries; {@link dev.jvmm.acpi.AcpiTables} puts the RSDP and every table here.
     */
    public static final GpaRange ACPI_TABLES = GpaRange.ofInclusive(Gpa.of(0xe_0000), Gpa.of(0xf_ffff));
    /** The kernel is never loaded below 1 MiB ("HIMEM"). */
    public static final Gpa KERNEL_MIN = Gpa.of(0x10_0000);
    /**
     * [0x9fc00, 1 MiB): system data (MP table, ACPI tables) and the PC's legacy window, never RAM for the
     * guest kernel.
     */
    public static final GpaRange LEGACY_RESERVED =
            GpaRange.ofInclusive(MP_TABLE, KERNEL_MIN.minus(1));

    private LowMemory() {
    }
}
