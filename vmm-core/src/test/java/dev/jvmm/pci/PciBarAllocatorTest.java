package dev.jvmm.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.GuestLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PciBarAllocatorTest {
    static final long MIB = 1L << 20;

    @Test
    void takesItsWindowsFromTheGuestLayout() {
        GuestLayout layout = GuestLayout.x86(8L << 30);
        PciBarAllocator alloc = PciBarAllocator.forLayout(layout);
        assertEquals(0xc000_0000L, alloc.allocate(PciBarType.MEMORY32, 0x1000));
        assertEquals(layout.mmio64Window().start().value(), alloc.allocate(PciBarType.MEMORY64, 1L << 30));
        assertEquals(0xc000, alloc.allocate(PciBarType.IO, 0x100));
    }

    @Test
    void rangesAreNaturallyAlignedAndMemoryGetsWholePages() {
        PciBarAllocator alloc = new PciBarAllocator(GpaRange.of(Gpa.of(0xc000_0000L), 512 * MIB),
                GpaRange.of(Gpa.of(0x4_0000_0000L), 64L << 30), 0xc000, 0x4000);
        assertEquals(0xc000_0000L, alloc.allocate(PciBarType.MEMORY32, 0x10));
        assertEquals(0xc000_1000L, alloc.allocate(PciBarType.MEMORY32, 0x100), "16 bytes took a whole page");
        assertEquals(0xc010_0000L, alloc.allocate(PciBarType.MEMORY32, MIB), "aligned to its 1 MiB size");
        assertEquals(0xc000_2000L, alloc.allocate(PciBarType.MEMORY32, 0x1000), "first fit fills the hole");
        assertEquals(0xc000, alloc.allocate(PciBarType.IO, 0x4));
        assertEquals(0xc004, alloc.allocate(PciBarType.IO, 0x4), "I/O is not page-rounded");
        assertEquals(0xc100, alloc.allocate(PciBarType.IO, 0x100));
    }

    @Test
    void fullWindowsRefuseNamingTheWindowAndTheFix() {
        PciBarAllocator alloc = new PciBarAllocator(GpaRange.of(Gpa.of(0xc000_0000L), 512 * MIB),
                GpaRange.of(Gpa.of(0x4_0000_0000L), 1L << 30), 0xc000, 0x4000);
        alloc.allocate(PciBarType.MEMORY64, 512 * MIB);
        alloc.allocate(PciBarType.MEMORY64, 256 * MIB);
        BarAllocationException e = assertThrows(BarAllocationException.class,
                () -> alloc.allocate(PciBarType.MEMORY64, 512 * MIB));
        assertTrue(e.getMessage().contains("64-bit MMIO window [0x400000000-0x43fffffff]"), e.getMessage());
        assertTrue(e.getMessage().contains("enlarge the 64-bit MMIO window"), e.getMessage());
        assertEquals(0x4_3000_0000L, alloc.allocate(PciBarType.MEMORY64, 256 * MIB), "what fits still fits");
        assertThrows(BarAllocationException.class, () -> alloc.allocate(PciBarType.MEMORY32, 1L << 30));
        assertThrows(IllegalArgumentException.class, () -> alloc.allocate(PciBarType.MEMORY32, 3 * MIB));
        for (int i = 0; i < 64; i++) {
            alloc.allocate(PciBarType.IO, 0x100);
        }
        assertThrows(BarAllocationException.class, () -> alloc.allocate(PciBarType.IO, 4));
    }

    @Test
    void releasedRangesAreReused() {
        PciBarAllocator alloc = PciBarAllocator.forLayout(GuestLayout.x86(1L << 30));
        long a = alloc.allocate(PciBarType.MEMORY32, MIB);
        long b = alloc.allocate(PciBarType.MEMORY32, MIB);
        assertTrue(alloc.release(PciBarType.MEMORY32, a));
        assertFalse(alloc.release(PciBarType.MEMORY32, a));
        assertEquals(a, alloc.allocate(PciBarType.MEMORY32, MIB));
        assertTrue(b > a);
    }

    @Test
    void randomAllocationsNeverOverlapAndStayAlignedInTheirWindow() {
        long seed = Long.getLong("jvmm.seed", System.nanoTime());
        System.out.println("PciBarAllocatorTest seed " + seed + " (rerun with -Djvmm.seed=" + seed + ")");
        Random rnd = new Random(seed);
        GpaRange w32 = GpaRange.of(Gpa.of(0xc000_0000L), 512 * MIB);
        PciBarAllocator alloc = new PciBarAllocator(w32, GpaRange.of(Gpa.of(0x4_0000_0000L), 4L << 30), 0xc000, 0x4000);
        List<long[]> live = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            if (!live.isEmpty() && rnd.nextInt(3) == 0) {
                long[] victim = live.remove(rnd.nextInt(live.size()));
                assertTrue(alloc.release(PciBarType.MEMORY32, victim[0]), "seed " + seed);
                continue;
            }
            long size = 1L << (4 + rnd.nextInt(24));
            long address;
            try {
                address = alloc.allocate(PciBarType.MEMORY32, size);
            } catch (BarAllocationException full) {
                continue;
            }
            long span = Math.max(size, 4096);
            assertEquals(0, address % span, "seed " + seed);
            assertTrue(address >= w32.start().value() && address + span <= w32.end().value(), "seed " + seed);
            for (long[] other : live) {
                assertTrue(address + span <= other[0] || other[0] + other[1] <= address,
                        String.format("seed %d: 0x%x+0x%x overlaps 0x%x+0x%x", seed, address, span, other[0], other[1]));
            }
            live.add(new long[] {address, span});
        }
    }
}
