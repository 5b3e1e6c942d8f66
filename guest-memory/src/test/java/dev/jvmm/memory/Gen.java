package dev.jvmm.memory;

import java.math.BigInteger;
import java.util.Random;

/** Random unsigned 64-bit values biased toward the edges where unsigned arithmetic goes wrong. */
final class Gen {

    static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private Gen() {
    }

    /** Any 64-bit pattern; a third of them at or next to a power of two, a sixth at or above 2^63. */
    static long unsigned(Random random) {
        return switch (random.nextInt(6)) {
            case 0, 1 -> random.nextLong();
            case 2 -> random.nextLong() | Long.MIN_VALUE;
            case 3 -> (1L << random.nextInt(64)) + (random.nextInt(3) - 1);
            case 4 -> -1L - random.nextInt(4096);
            default -> random.nextLong() >>> random.nextInt(64);
        };
    }

    /** A power of two from 1 to 2^63. */
    static long powerOfTwo(Random random) {
        return 1L << random.nextInt(64);
    }

    static BigInteger big(long unsigned) {
        return new BigInteger(Long.toUnsignedString(unsigned));
    }

    /** Unsigned 64-bit value of {@code b}, which must be in [0, 2^64). */
    static long narrow(BigInteger b) {
        if (b.signum() < 0 || b.compareTo(TWO_64) >= 0) {
            throw new IllegalArgumentException("not a 64-bit unsigned value: " + b);
        }
        return b.longValue();
    }

    /** A uniformly drawn unsigned value in {@code [1, max]}; {@code max} is unsigned and non-zero. */
    static long between1And(Random random, long max) {
        return 1 + Long.remainderUnsigned(random.nextLong(), max);
    }

    /** A valid range length for {@code start}: small, any, or the largest that fits below 2^64. */
    static long lengthFor(Random random, long start) {
        long max = start == 0 ? -1L : -start;
        return switch (random.nextInt(4)) {
            case 0 -> between1And(random, Long.compareUnsigned(max, 1 << 16) < 0 ? max : 1 << 16);
            case 1 -> max;
            default -> between1And(random, max);
        };
    }

    /** A range, often near {@code near} when given, so that overlaps are common. */
    static GpaRange gpaRange(Random random, GpaRange near) {
        long start;
        if (near != null && random.nextBoolean()) {
            long offset = Long.remainderUnsigned(random.nextLong(), near.length());
            long nearStart = near.start().value();
            start = random.nextBoolean() ? nearStart + offset
                    : Long.compareUnsigned(nearStart, offset) >= 0 ? nearStart - offset : 0;
        } else {
            start = unsigned(random);
        }
        return GpaRange.of(Gpa.of(start), lengthFor(random, start));
    }
}
