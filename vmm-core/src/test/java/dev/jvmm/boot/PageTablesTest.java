package dev.jvmm.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.memory.sys.GuestRam;
import org.junit.jupiter.api.Test;

class PageTablesTest {
    private static final long ADDRESS_MASK = 0x000f_ffff_ffff_f000L;
    private static final long FLAGS = PageTables.PRESENT | PageTables.WRITABLE;

    @Test
    void every2MibPageOfTheFirst4GibMapsToItself() {
        try (GuestRam ram = GuestRam.create(GuestLayout.x86(16 * GuestLayout.MIB), false)) {
            long cr3 = PageTables.write(ram);
            assertEquals(0x9000, cr3);
            int pages = 0;
            for (long va = 0; va < (4L << 30); va += PageTables.TWO_MIB) {
                assertEquals(va, translate(ram, cr3, va), "VA 0x" + Long.toHexString(va));
                assertEquals(va + 0x12_3456, translate(ram, cr3, va + 0x12_3456));
                pages++;
            }
            assertEquals(2048, pages);
        }
    }

    @Test
    void onlyTheFirst4GibAreMapped() {
        try (GuestRam ram = GuestRam.create(GuestLayout.x86(16 * GuestLayout.MIB), false)) {
            long cr3 = PageTables.write(ram);
            for (int i = 1; i < 512; i++) {
                assertEquals(0, ram.readLong(Gpa.of(cr3 + 8L * i)), "PML4 entry " + i);
            }
            for (int i = 4; i < 512; i++) {
                assertEquals(0, ram.readLong(LowMemory.PDPT.plus(8L * i)), "PDPT entry " + i);
            }
            assertEquals(0, ram.readLong(Gpa.of(0xf000)), "nothing written past the fourth page directory");
            assertEquals(0, ram.readLong(Gpa.of(0x8ff8)), "nothing written below the PML4");
        }
    }

    /** A 4-level walk as the MMU does it, requiring present+writable and a 2 MiB leaf in the PD. */
    private static long translate(GuestRam ram, long cr3, long va) {
        long pml4e = entry(ram, cr3, (va >>> 39) & 511, "PML4");
        long pdpte = entry(ram, pml4e & ADDRESS_MASK, (va >>> 30) & 511, "PDPT");
        assertEquals(0, pdpte & PageTables.PAGE_SIZE, "PDPT entry maps a page directory, not a 1 GiB page");
        long pde = entry(ram, pdpte & ADDRESS_MASK, (va >>> 21) & 511, "PD");
        assertEquals(PageTables.PAGE_SIZE, pde & PageTables.PAGE_SIZE, "PD entry is a 2 MiB leaf");
        assertEquals(0, pde & 0x1f_e000L, "2 MiB page frame is 2 MiB aligned (reserved bits 13-20 clear)");
        return (pde & 0x000f_ffff_ffe0_0000L) | (va & (PageTables.TWO_MIB - 1));
    }

    private static long entry(GuestRam ram, long table, long index, String level) {
        long e = ram.readLong(Gpa.of(table + 8 * index));
        assertEquals(FLAGS, e & FLAGS, level + " entry " + index + " = 0x" + Long.toHexString(e));
        return e;
    }
}
