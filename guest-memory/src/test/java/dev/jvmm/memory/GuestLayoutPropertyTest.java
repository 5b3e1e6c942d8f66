package dev.jvmm.memory;

import dev.jvmm.memory.testing.Seeded;
import static dev.jvmm.memory.Gen.big;
import static dev.jvmm.memory.GuestLayout.GIB;
import static dev.jvmm.memory.GuestLayout.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class GuestLayoutPropertyTest {

    private static final int ITERATIONS = 30_000;
    private static final long[] PAGE_SIZES = {4096, 2 * MIB, GIB};

    @Test
    void layoutInvariantsHoldForRandomSizes() {
        AtomicInteger built = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Seeded.repeat("layout invariants", ITERATIONS, (random, i) -> {
            long pageSize = PAGE_SIZES[random.nextInt(PAGE_SIZES.length)];
            int bits = 36 + random.nextInt(17);
            long mmio64 = GIB * (1 + random.nextInt(random.nextBoolean() ? 64 : 4096));
            long ram = ramSize(random, pageSize, bits);

            // Model: high RAM ends at ram + 1 GiB; the window starts at the next GiB at or above
            // max(that, 4 GiB) and must end at or below 2^bits.
            BigInteger ramTop = big(Math.max(ram + GIB, 4 * GIB));
            BigInteger windowStart = ramTop.add(big(GIB - 1)).divide(big(GIB)).multiply(big(GIB));
            boolean fits = windowStart.add(big(mmio64)).compareTo(BigInteger.ONE.shiftLeft(bits)) <= 0;
            if (!fits) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> GuestLayout.x86(ram, pageSize, mmio64, bits));
                assertTrue(e.getMessage().contains("2^" + bits), e.getMessage());
                refused.incrementAndGet();
                return;
            }
            GuestLayout layout = GuestLayout.x86(ram, pageSize, mmio64, bits);
            checkInvariants(layout, ram, pageSize, mmio64, bits);
            built.incrementAndGet();
        });
        assertTrue(built.get() > ITERATIONS / 10 && refused.get() > ITERATIONS / 10,
                "built " + built + ", refused " + refused + ": the generator must reach both outcomes");
    }

    /** Sizes log-uniform over 1 MiB .. 2^bits, rounded down to whole pages, plus edges at 3 GiB. */
    private static long ramSize(Random random, long pageSize, int bits) {
        long ram = switch (random.nextInt(4)) {
            case 0 -> 3 * GIB + (random.nextInt(3) - 1) * pageSize;
            default -> {
                int log = 20 + random.nextInt(bits - 20 + 1);
                yield (1L << (log - 1)) + (random.nextLong() >>> (64 - log + 1));
            }
        };
        return Math.max(ram - ram % pageSize, Math.max(pageSize, MIB));
    }

    private static void checkInvariants(GuestLayout layout, long ram, long pageSize, long mmio64, int bits) {
        List<GpaRange> regions = layout.ramRegions();
        assertEquals(ram, layout.totalRam());
        BigInteger sum = regions.stream().map(r -> big(r.length())).reduce(BigInteger.ZERO, BigInteger::add);
        assertEquals(big(ram), sum, "regions add up to the requested RAM");
        assertEquals(Gpa.of(0), regions.getFirst().start(), "RAM starts at 0");
        for (int i = 0; i < regions.size(); i++) {
            GpaRange r = regions.get(i);
            assertTrue(r.start().isAligned(pageSize) && r.length() % pageSize == 0, r + " page-aligned");
            assertFalse(r.overlaps(layout.pciHole()), r + " in the PCI hole");
            assertFalse(r.overlaps(layout.mmio64Window()), r + " in the 64-bit window");
            if (i > 0) {
                assertTrue(regions.get(i - 1).last().isBelow(r.start()), "sorted and disjoint");
            }
        }
        List<GpaRange> windows = List.of(layout.mmio32Window(), layout.ecamWindow(), layout.platformWindow(),
                layout.mmio64Window());
        for (int a = 0; a < windows.size(); a++) {
            for (int b = a + 1; b < windows.size(); b++) {
                assertFalse(windows.get(a).overlaps(windows.get(b)), windows.get(a) + " vs " + windows.get(b));
            }
        }
        Stream.of(layout.mmio32Window(), layout.ecamWindow(), layout.platformWindow(), GuestLayout.MSI_WINDOW)
                .forEach(w -> assertTrue(layout.pciHole().contains(w), w + " inside the hole"));
        GpaRange window = layout.mmio64Window();
        assertEquals(mmio64, window.length());
        assertTrue(window.start().isAligned(GIB));
        assertFalse(window.start().isBelow(Gpa.of(4 * GIB)));
        if (regions.size() == 1) {
            assertEquals(Gpa.of(4 * GIB), window.start(), "RAM below 3 GiB: window from 4 GiB");
        } else {
            assertTrue(window.start().offsetFrom(regions.getLast().last()) <= GIB, "window right above RAM");
        }
        assertTrue(Long.compareUnsigned(window.last().value(), (1L << bits) - 1) <= 0, "below 2^bits");
        assertFalse(layout.isRam(GuestLayout.MSI_WINDOW.start()));
        assertTrue(layout.isRam(regions.getLast().last()));
    }
}
