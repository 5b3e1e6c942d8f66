package dev.jvmm.boot;

import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.sys.GuestRam;

/**
 * Identity-mapped 4-level page tables for the first 4 GiB with 2 MiB pages: what the 64-bit boot
 * protocol asks for ("the range with setup_header.init_size from start address of loaded kernel and zero
 * page and command line buffer get ident mapping"), generously: the kernel replaces them early.
 *
 * <p>PML4 at 0x9000 (entry 0 only), PDPT at 0xa000 (entries 0-3), four page directories at 0xb000,
 * 0xc000, 0xd000, 0xe000 whose 512 entries each map 2 MiB: PD {@code i} entry {@code j} maps
 * {@code (i × 512 + j) × 2 MiB} to itself, present, writable, supervisor.
 */
public final class PageTables {
    public static final long PRESENT = 1L;
    public static final long WRITABLE = 1L << 1;
    /** PS in a page-directory entry: the entry maps a 2 MiB page, not a page table. */
    public static final long PAGE_SIZE = 1L << 7;
    public static final long TWO_MIB = 2L << 20;
    public static final int PD_COUNT = 4;
    private static final int ENTRIES = 512;
    private static final int TABLE_BYTES = 4096;

    private PageTables() {
    }

    /** Writes the tables at {@link LowMemory#PML4}.. and returns the CR3 value (the PML4's address). */
    public static long write(GuestRam ram) {
        ram.write(LowMemory.PML4, pml4());
        ram.write(LowMemory.PDPT, pdpt());
        ram.write(LowMemory.PD, pageDirectories());
        return LowMemory.PML4.value();
    }

    /** The GPA of page directory {@code i} (0-3). */
    public static Gpa pageDirectory(int i) {
        return LowMemory.PD.plus((long) i * TABLE_BYTES);
    }

    static byte[] pml4() {
        byte[] t = new byte[TABLE_BYTES];
        LittleEndian.put64(t, 0, LowMemory.PDPT.value() | PRESENT | WRITABLE);
        return t;
    }

    static byte[] pdpt() {
        byte[] t = new byte[TABLE_BYTES];
        for (int i = 0; i < PD_COUNT; i++) {
            LittleEndian.put64(t, i * 8, pageDirectory(i).value() | PRESENT | WRITABLE);
        }
        return t;
    }

    /** The four page directories, back to back. */
    static byte[] pageDirectories() {
        byte[] t = new byte[PD_COUNT * TABLE_BYTES];
        for (int i = 0; i < PD_COUNT * ENTRIES; i++) {
            LittleEndian.put64(t, i * 8, i * TWO_MIB | PRESENT | WRITABLE | PAGE_SIZE);
        }
        return t;
    }
}
