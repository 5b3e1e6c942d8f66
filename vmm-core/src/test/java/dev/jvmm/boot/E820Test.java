package dev.jvmm.boot;

import dev.jvmm.memory.testing.Seeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.GuestLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

class E820Test {
    private static final long MIB = GuestLayout.MIB;
    private static final long GIB = GuestLayout.GIB;
    private static final E820Entry BASE_RAM = entry(0, 0x9fc00, E820Type.RAM);
    private static final E820Entry LEGACY = entry(0x9fc00, 0x10_0000 - 0x9fc00, E820Type.RESERVED);
    private static final E820Entry ECAM = entry(0xe000_0000L, 256 * MIB, E820Type.RESERVED);

    private static E820Entry entry(long addr, long size, E820Type type) {
        return new E820Entry(Gpa.of(addr), size, type);
    }

    @Test
    void oneMibOfRamIsBaseMemoryAndTheLegacyHole() {
        assertEquals(List.of(BASE_RAM, LEGACY, ECAM), E820.forLayout(GuestLayout.x86(MIB)));
    }

    @Test
    void ramBelowThePciHoleIsBaseMemoryPlusEverythingFrom1Mib() {
        assertEquals(List.of(BASE_RAM, LEGACY, entry(MIB, 63 * MIB, E820Type.RAM), ECAM),
                E820.forLayout(GuestLayout.x86(64 * MIB)));
        assertEquals(List.of(BASE_RAM, LEGACY, entry(MIB, 3 * GIB - MIB, E820Type.RAM), ECAM),
                E820.forLayout(GuestLayout.x86(3 * GIB)));
    }

    @Test
    void ramAbove3GibContinuesFrom4Gib() {
        assertEquals(List.of(BASE_RAM, LEGACY, entry(MIB, 3 * GIB - MIB, E820Type.RAM), ECAM,
                        entry(4 * GIB, 512 * MIB, E820Type.RAM)),
                E820.forLayout(GuestLayout.x86(3 * GIB + 512 * MIB)));
        assertEquals(List.of(BASE_RAM, LEGACY, entry(MIB, 3 * GIB - MIB, E820Type.RAM), ECAM,
                        entry(4 * GIB, 5 * GIB, E820Type.RAM)),
                E820.forLayout(GuestLayout.x86(8 * GIB)));
    }

    @Test
    void hugePageLayoutsGiveTheSameMap() {
        assertEquals(E820.forLayout(GuestLayout.x86(6 * GIB)),
                E820.forLayout(GuestLayout.x86(6 * GIB, 1 << 21, GuestLayout.DEFAULT_MMIO64_SIZE, 46)));
    }

    @Test
    void randomSizesKeepTheMapSortedDisjointAndAccountForAllRam() {
        Seeded.repeat("e820 for random RAM sizes", 500, (random, i) -> {
            long pages = 256 + (random.nextInt(4) == 0 ? random.nextLong(1L << 22) : random.nextLong(1L << 20));
            GuestLayout layout = GuestLayout.x86(pages * 4096);
            List<E820Entry> map = E820.forLayout(layout);
            long ram = 0;
            for (int k = 0; k < map.size(); k++) {
                E820Entry e = map.get(k);
                if (k > 0) {
                    assertTrue(map.get(k - 1).range().last().isBelow(e.addr()), "sorted and disjoint: " + map);
                }
                if (e.type() == E820Type.RAM) {
                    ram += e.size();
                    assertTrue(layout.ramRegions().stream().anyMatch(r -> r.contains(e.range())),
                            e + " is guest RAM in " + layout);
                    assertTrue(!e.range().overlaps(LowMemory.LEGACY_RESERVED), e + " avoids 640 KiB - 1 MiB");
                }
            }
            assertEquals(layout.totalRam() - LowMemory.LEGACY_RESERVED.length(), ram, layout.toString());
            assertTrue(map.contains(LEGACY) && map.contains(ECAM), map.toString());
            assertEquals(layout.totalRam() > 3 * GIB ? 5 : layout.totalRam() > MIB ? 4 : 3, map.size());
        });
    }

    @Test
    void minusCutsAHoleOutOfARange() {
        GpaRange r = GpaRange.of(Gpa.of(0x1000), 0x5000);
        assertEquals(List.of(GpaRange.of(Gpa.of(0x1000), 0x1000), GpaRange.of(Gpa.of(0x3000), 0x3000)),
                E820.minus(r, GpaRange.of(Gpa.of(0x2000), 0x1000)));
        assertEquals(List.of(r), E820.minus(r, GpaRange.of(Gpa.of(0x6000), 0x1000)));
        assertEquals(List.of(), E820.minus(r, GpaRange.of(Gpa.of(0), 0x10000)));
        assertEquals(List.of(GpaRange.of(Gpa.of(0x1000), 0x1000)),
                E820.minus(r, GpaRange.of(Gpa.of(0x2000), 0x10000)));
    }
}
