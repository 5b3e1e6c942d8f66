package dev.jvmm.memory;

import dev.jvmm.memory.testing.Seeded;
import static dev.jvmm.memory.Gen.big;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReservedIovaRegionTest {

    private static final int ITERATIONS = 20_000;

    @Test
    void parsesIntelAndAmdFiles() {
        // Intel VT-d group of a NIC behind an RMRR; AMD-Vi group with the HyperTransport hole.
        String intel = "0x000000007b800000 0x000000007fffffff direct\n"
                + "0x00000000fee00000 0x00000000feefffff msi\n";
        assertEquals(List.of(
                        region(0x7b80_0000L, 0x7fff_ffffL, ReservedRegionType.DIRECT),
                        region(0xfee0_0000L, 0xfeef_ffffL, ReservedRegionType.MSI)),
                ReservedIovaRegion.parseSysfs(intel));
        String amd = "0x00000000fee00000 0x00000000feefffff msi\n"
                + "0x000000fd00000000 0x000000ffffffffff reserved\n";
        List<ReservedIovaRegion> parsed = ReservedIovaRegion.parseSysfs(amd);
        assertEquals(region(0xfd_0000_0000L, 0xff_ffff_ffffL, ReservedRegionType.RESERVED), parsed.get(1));
        assertEquals(12L << 30, parsed.get(1).range().length());
    }

    @Test
    void parsesEveryTypeEmptyFilesAndTopOfSpace() {
        assertEquals(List.of(), ReservedIovaRegion.parseSysfs(""));
        assertEquals(List.of(), ReservedIovaRegion.parseSysfs("\n\n"));
        String all = "0x0000000000001000 0x0000000000001fff direct-relaxable\n"
                + "0x0000000008000000 0x00000000080fffff sw-msi\n"
                + "0xfffffffffffff000 0xffffffffffffffff reserved";
        List<ReservedIovaRegion> parsed = ReservedIovaRegion.parseSysfs(all);
        assertEquals(ReservedRegionType.DIRECT_RELAXABLE, parsed.get(0).type());
        assertEquals(ReservedRegionType.SW_MSI, parsed.get(1).type());
        assertEquals(Iova.of(-1L), parsed.get(2).range().last());
    }

    @Test
    void badLinesNameTheLineAndTheExpectedFormat() {
        assertBad("0x1000 0x1fff", 1, "has 2 fields");
        assertBad("0x1000 0x1fff msi\n1000 0x1fff msi", 2, "\"1000\" is not 0x<hex>");
        assertBad("0x1000 0x1fff msi\n\n0x1000 0xzz msi", 3, "not a 64-bit hex number");
        assertBad("0x1000 0x10000000000000000 msi", 1, "not a 64-bit hex number");
        assertBad("0x2000 0x1fff msi", 1, "start lies above end");
        assertBad("0x1000 0x1fff bogus", 1, "unknown type \"bogus\"");
        assertBad("0x 0x1fff msi", 1, "not 0x<hex>");
        assertBad("0x0 0xffffffffffffffff reserved", 1, "covering the whole 64-bit space leaves nothing");
    }

    private static void assertBad(String content, int line, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReservedIovaRegion.parseSysfs(content));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        if (e instanceof ReservedRegionsFormatException f) {
            assertEquals(line, f.lineNumber());
            assertTrue(e.getMessage().contains("expected \"0x<start> 0x<end> <type>\""), e.getMessage());
        }
    }

    @Test
    void parserReadsBackWhatTheKernelFormatWrites() {
        ReservedRegionType[] types = {ReservedRegionType.DIRECT, ReservedRegionType.DIRECT_RELAXABLE,
                ReservedRegionType.RESERVED, ReservedRegionType.MSI, ReservedRegionType.SW_MSI};
        Seeded.repeat("reserved_regions round trip", ITERATIONS, (random, i) -> {
            List<ReservedIovaRegion> regions = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(5); n > 0; n--) {
                long start = Gen.unsigned(random);
                IovaRange range = IovaRange.of(Iova.of(start), Gen.lengthFor(random, start));
                ReservedRegionType type = types[random.nextInt(types.length)];
                regions.add(new ReservedIovaRegion(range, type));
                // As iommu_group_show_resv_regions prints it: "0x%016llx 0x%016llx %s\n".
                text.append(String.format("0x%016x 0x%016x %s%n", range.start().value(), range.last().value(),
                        type.sysfsName()));
            }
            assertEquals(regions, ReservedIovaRegion.parseSysfs(text.toString()));
        });
    }

    @Test
    void complementOfValidRanges() {
        // A 48-bit IOMMU that also excludes the MSI window, as VFIO reports it on x86.
        List<ValidIovaRange> valid = List.of(ValidIovaRange.of(0, 0xfedf_ffffL),
                ValidIovaRange.of(0xfef0_0000L, 0xffff_ffff_ffffL));
        assertEquals(List.of(
                        region(0xfee0_0000L, 0xfeef_ffffL, ReservedRegionType.OUTSIDE_VALID_RANGES),
                        region(0x1_0000_0000_0000L, -1L, ReservedRegionType.OUTSIDE_VALID_RANGES)),
                ReservedIovaRegion.outsideValidRanges(valid));
        assertEquals(List.of(), ReservedIovaRegion.outsideValidRanges(List.of(ValidIovaRange.of(0, -1L))));
        assertThrows(IllegalArgumentException.class, () -> ReservedIovaRegion.outsideValidRanges(List.of()));
        assertThrows(IllegalArgumentException.class, () -> ValidIovaRange.of(2, 1));
    }

    @Test
    void complementCoversExactlyTheAddressesNoValidRangeHolds() {
        Seeded.repeat("valid range complement", ITERATIONS, (random, i) -> {
            List<ValidIovaRange> valid = new ArrayList<>();
            for (int n = 1 + random.nextInt(4); n > 0; n--) {
                long a = Gen.unsigned(random);
                long b = random.nextBoolean() ? Gen.unsigned(random) : a + random.nextInt(1 << 20);
                valid.add(Long.compareUnsigned(a, b) <= 0 ? ValidIovaRange.of(a, b) : ValidIovaRange.of(b, a));
            }
            List<ReservedIovaRegion> gaps = ReservedIovaRegion.outsideValidRanges(valid);

            BigInteger covered = BigInteger.ZERO;   // valid and gap sizes must add up to 2^64
            for (int g = 0; g < gaps.size(); g++) {
                IovaRange gap = gaps.get(g).range();
                covered = covered.add(big(gap.length()));
                if (g > 0) {
                    assertTrue(gaps.get(g - 1).range().last().value() + 1 != gap.start().value()
                            && gaps.get(g - 1).range().last().isBelow(gap.start()), "gaps sorted, apart");
                }
            }
            covered = covered.add(unionSize(valid));
            assertEquals(Gen.TWO_64, covered, "gaps and valid ranges tile the 64-bit space");
            for (long probe : probes(random, valid)) {
                boolean inValid = valid.stream().anyMatch(v -> !Iova.of(probe).isBelow(v.first())
                        && !v.last().isBelow(Iova.of(probe)));
                boolean inGap = gaps.stream().anyMatch(r -> r.range().contains(Iova.of(probe)));
                assertTrue(inValid != inGap, Iova.of(probe) + " valid=" + inValid + " gap=" + inGap);
            }
        });
    }

    private static List<Long> probes(Random random, List<ValidIovaRange> valid) {
        List<Long> probes = new ArrayList<>(List.of(0L, -1L, Gen.unsigned(random)));
        for (ValidIovaRange v : valid) {
            probes.addAll(List.of(v.first().value() - 1, v.first().value(), v.last().value(), v.last().value() + 1));
        }
        return probes;
    }

    /** Size of the union of inclusive ranges, by sweeping them in order. */
    private static BigInteger unionSize(List<ValidIovaRange> valid) {
        List<ValidIovaRange> sorted = valid.stream().sorted((a, b) -> a.first().compareTo(b.first())).toList();
        BigInteger total = BigInteger.ZERO;
        BigInteger next = BigInteger.ZERO;   // first address not yet counted
        for (ValidIovaRange v : sorted) {
            BigInteger first = big(v.first().value()).max(next);
            BigInteger end = big(v.last().value()).add(BigInteger.ONE);
            if (first.compareTo(end) < 0) {
                total = total.add(end.subtract(first));
                next = end;
            }
        }
        return total;
    }

    private static ReservedIovaRegion region(long first, long last, ReservedRegionType type) {
        return new ReservedIovaRegion(IovaRange.ofInclusive(Iova.of(first), Iova.of(last)), type);
    }
}
