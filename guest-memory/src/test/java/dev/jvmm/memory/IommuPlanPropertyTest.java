package dev.jvmm.memory;

import dev.jvmm.memory.testing.Seeded;
import static dev.jvmm.memory.GuestLayout.GIB;
import static dev.jvmm.memory.GuestLayout.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IommuPlanPropertyTest {

    private static final int ITERATIONS = 30_000;
    private static final long PAGE = 4096;

    @Test
    void planEitherAvoidsEveryReservationOrNamesAnOverlappingPair() {
        AtomicInteger planned = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Seeded.repeat("iommu plan", ITERATIONS, (random, i) -> {
            GuestLayout layout = GuestLayout.x86(ramSize(random), PAGE, 64 * GIB, 52);
            List<GpaRange> ram = layout.ramRegions();
            List<ReservedIovaRegion> reserved = reservedNear(random, ram);
            boolean conflict = ram.stream().anyMatch(r -> reserved.stream().anyMatch(x -> blocks(x, r)));
            IommuPlan plan;
            try {
                plan = IommuPlan.identity(layout, reserved);
            } catch (ReservedIovaOverlapException e) {
                assertTrue(conflict, "refused without a conflict: " + e.getMessage());
                checkRefusal(e, ram, reserved);
                refused.incrementAndGet();
                return;
            }
            assertFalse(conflict, "planned despite a conflict: " + reserved + " vs " + ram);
            assertEquals(ram, plan.mappings().stream().map(DmaMapping::gpa).toList(), "covers RAM exactly");
            for (DmaMapping m : plan.mappings()) {
                assertEquals(m.gpa().start().value(), m.iova().value(), "IOVA = GPA");
                for (ReservedIovaRegion r : reserved) {
                    assertFalse(r.type().blocksDma() && m.iovaRange().overlaps(r.range()), m + " hits " + r);
                }
            }
            planned.incrementAndGet();
        });
        // The generator must exercise both outcomes, or the property says little.
        assertTrue(planned.get() > ITERATIONS / 10 && refused.get() > ITERATIONS / 10,
                "planned " + planned + ", refused " + refused);
    }

    /** The named pair overlaps, is the lowest such, and the advised RAM size is the largest that fits. */
    private static void checkRefusal(ReservedIovaOverlapException e, List<GpaRange> ram,
            List<ReservedIovaRegion> reserved) {
        assertTrue(ram.contains(e.ram()) && reserved.contains(e.reserved()));
        assertTrue(blocks(e.reserved(), e.ram()), "named pair overlaps");
        GpaRange firstConflicting = ram.stream()
                .filter(r -> reserved.stream().anyMatch(x -> blocks(x, r))).findFirst().orElseThrow();
        assertEquals(firstConflicting, e.ram());
        reserved.stream().filter(x -> blocks(x, e.ram()))
                .forEach(x -> assertFalse(x.range().start().isBelow(e.reserved().range().start())));
        assertTrue(e.getMessage().contains(e.ram().toString()) && e.getMessage().contains(e.reserved().range()
                .toString()) && e.getMessage().contains("(" + e.reserved().type().sysfsName() + ")"), e.getMessage());

        long max = e.maxRamBytes();
        assertEquals(0, max % PAGE);
        if (max >= MIB) {
            assertFalse(GuestLayout.x86(max).ramRegions().stream().anyMatch(r -> blocks(e.reserved(), r)),
                    "advised " + max + " still overlaps " + e.reserved());
        }
        if (max + PAGE >= MIB) {
            assertTrue(GuestLayout.x86(max + PAGE).ramRegions().stream().anyMatch(r -> blocks(e.reserved(), r)),
                    "advice " + max + " is not the largest that fits");
        }
    }

    private static boolean blocks(ReservedIovaRegion reserved, GpaRange ram) {
        return reserved.type().blocksDma()
                && reserved.range().overlaps(IovaRange.of(Iova.of(ram.start().value()), ram.length()));
    }

    private static long ramSize(Random random) {
        int log = 20 + random.nextInt(25);
        long ram = (1L << (log - 1)) + (random.nextLong() >>> (64 - log + 1));
        return Math.max(MIB, ram & -PAGE);
    }

    /** Up to four reservations, mostly within reach of the RAM, of every type, often x86's MSI window. */
    private static List<ReservedIovaRegion> reservedNear(Random random, List<GpaRange> ram) {
        ReservedRegionType[] types = ReservedRegionType.values();
        long top = ram.getLast().last().value();
        List<ReservedIovaRegion> reserved = new ArrayList<>();
        if (random.nextBoolean()) {
            reserved.add(new ReservedIovaRegion(IovaRange.of(Iova.of(0xfee0_0000L), MIB), ReservedRegionType.MSI));
        }
        for (int n = random.nextInt(4); n > 0; n--) {
            long start = switch (random.nextInt(4)) {
                case 0 -> Gen.unsigned(random);
                case 1 -> 3 * GIB + Long.remainderUnsigned(random.nextLong(), GIB);
                default -> Long.remainderUnsigned(random.nextLong(), top + top / 4 + 1);
            };
            long length = switch (random.nextInt(3)) {
                case 0 -> Gen.lengthFor(random, start);
                case 1 -> Math.min(1 + random.nextInt(16 << 20), start == 0 ? Long.MAX_VALUE : -start);
                default -> Gen.between1And(random, Math.min(64 * GIB, start == 0 ? Long.MAX_VALUE : -start));
            };
            reserved.add(new ReservedIovaRegion(IovaRange.of(Iova.of(start), length),
                    types[random.nextInt(types.length)]));
        }
        return reserved;
    }

    @Test
    void x86MsiWindowNeverConflictsForAnyRamSize() {
        List<ReservedIovaRegion> msi = ReservedIovaRegion.parseSysfs("0x00000000fee00000 0x00000000feefffff msi\n");
        Seeded.repeat("msi vs layout", ITERATIONS, (random, i) -> {
            long pageSize = random.nextBoolean() ? PAGE : 2 * MIB;
            long ram = Math.max(ramSize(random) & -pageSize, pageSize);
            try {
                IommuPlan.identity(GuestLayout.x86(ram, pageSize, 64 * GIB, 52), msi);
            } catch (ReservedIovaOverlapException e) {
                fail("default layout of " + ram + " bytes meets the MSI window: " + e.getMessage());
            }
        });
    }
}
