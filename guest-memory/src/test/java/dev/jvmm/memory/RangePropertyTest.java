package dev.jvmm.memory;

import dev.jvmm.memory.testing.Seeded;
import static dev.jvmm.memory.Gen.big;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Ranges against BigInteger half-open intervals [start, start + length). */
class RangePropertyTest {

    private static final int ITERATIONS = 50_000;

    @Test
    void constructionAcceptsExactlyTheRangesBelowTwoToThe64() {
        Seeded.repeat("range construction", ITERATIONS, (random, i) -> {
            long start = Gen.unsigned(random);
            long length = random.nextBoolean() ? Gen.unsigned(random) : Gen.lengthFor(random, start);
            BigInteger end = big(start).add(big(length));
            if (length != 0 && end.compareTo(Gen.TWO_64) <= 0) {
                GpaRange range = GpaRange.of(Gpa.of(start), length);
                assertEquals(Gen.narrow(end.subtract(BigInteger.ONE)), range.last().value());
                assertEquals(range, GpaRange.ofInclusive(range.start(), range.last()));
            } else {
                assertThrows(RuntimeException.class, () -> GpaRange.of(Gpa.of(start), length));
            }
        });
    }

    @Test
    void overlapAndIntersectionMatchTheModelAndCommute() {
        Seeded.repeat("range intersection", ITERATIONS, (random, i) -> {
            GpaRange a = Gen.gpaRange(random, null);
            GpaRange b = Gen.gpaRange(random, a);
            BigInteger first = big(a.start().value()).max(big(b.start().value()));
            BigInteger end = end(a).min(end(b));
            boolean overlap = first.compareTo(end) < 0;

            assertEquals(overlap, a.overlaps(b), a + " vs " + b);
            assertEquals(overlap, b.overlaps(a));
            Optional<GpaRange> ab = a.intersection(b);
            assertEquals(ab, b.intersection(a), "intersection commutes");
            assertEquals(overlap, ab.isPresent());
            ab.ifPresent(x -> {
                assertEquals(Gen.narrow(first), x.start().value());
                assertEquals(end.subtract(first), big(x.length()));
                assertTrue(a.contains(x) && b.contains(x));
            });
            assertEquals(Optional.of(a), a.intersection(a));
            boolean aContainsB = big(a.start().value()).compareTo(big(b.start().value())) <= 0
                    && end(b).compareTo(end(a)) <= 0;
            assertEquals(aContainsB, a.contains(b));
        });
    }

    @Test
    void containsAddressMatchesTheModel() {
        Seeded.repeat("range contains", ITERATIONS, (random, i) -> {
            GpaRange a = Gen.gpaRange(random, null);
            long probe = switch (random.nextInt(5)) {
                case 0 -> a.start().value() - 1;
                case 1 -> a.start().value();
                case 2 -> a.last().value();
                case 3 -> a.last().value() + 1;
                default -> Gen.unsigned(random);
            };
            boolean expected = big(probe).compareTo(big(a.start().value())) >= 0
                    && big(probe).compareTo(end(a)) < 0;
            assertEquals(expected, a.contains(Gpa.of(probe)), a + " contains " + Gpa.of(probe));
        });
    }

    private static BigInteger end(GpaRange r) {
        return big(r.start().value()).add(big(r.length()));
    }
}
