package dev.jvmm.memory;

import dev.jvmm.memory.testing.Seeded;
import static dev.jvmm.memory.Gen.TWO_64;
import static dev.jvmm.memory.Gen.big;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Address arithmetic against an exact BigInteger model of unsigned 64-bit values. */
class AddressPropertyTest {

    private static final int ITERATIONS = 30_000;

    static List<AddressOps> types() {
        return AddressOps.all();
    }

    @ParameterizedTest
    @MethodSource("types")
    void plusAndMinusMatchExactArithmeticAndDetectEveryOverflow(AddressOps ops) {
        Seeded.repeat(ops + " plus/minus", ITERATIONS, (random, i) -> {
            long a = Gen.unsigned(random);
            long b = Gen.unsigned(random);
            BigInteger sum = big(a).add(big(b));
            if (sum.compareTo(TWO_64) < 0) {
                assertEquals(Gen.narrow(sum), ops.plus().applyAsLong(a, b));
            } else {
                assertThrows(AddressOverflowException.class, () -> ops.plus().applyAsLong(a, b));
            }
            BigInteger difference = big(a).subtract(big(b));
            if (difference.signum() >= 0) {
                assertEquals(Gen.narrow(difference), ops.minus().applyAsLong(a, b));
                assertEquals(Gen.narrow(difference), ops.offsetFrom().applyAsLong(a, b));
                // minus then plus is the identity when the first does not underflow
                assertEquals(a, ops.plus().applyAsLong(ops.minus().applyAsLong(a, b), b));
            } else {
                assertThrows(AddressOverflowException.class, () -> ops.minus().applyAsLong(a, b));
                assertThrows(AddressOverflowException.class, () -> ops.offsetFrom().applyAsLong(a, b));
            }
        });
    }

    @ParameterizedTest
    @MethodSource("types")
    void alignmentInvariants(AddressOps ops) {
        Seeded.repeat(ops + " align", ITERATIONS, (random, i) -> {
            long a = Gen.unsigned(random);
            long p = Gen.powerOfTwo(random);
            BigInteger bigP = big(p);
            long down = ops.alignDown().applyAsLong(a, p);
            BigInteger expectedDown = big(a).divide(bigP).multiply(bigP);
            assertEquals(Gen.narrow(expectedDown), down);
            assertEquals(1, ops.isAligned().applyAsLong(down, p));
            assertTrue(Long.compareUnsigned(down, a) <= 0);
            assertTrue(big(a).subtract(big(down)).compareTo(bigP) < 0);

            boolean aligned = big(a).mod(bigP).signum() == 0;
            assertEquals(aligned ? 1 : 0, ops.isAligned().applyAsLong(a, p));
            BigInteger expectedUp = aligned ? big(a) : expectedDown.add(bigP);
            if (expectedUp.compareTo(TWO_64) < 0) {
                long up = ops.alignUp().applyAsLong(a, p);
                assertEquals(Gen.narrow(expectedUp), up);
                assertEquals(1, ops.isAligned().applyAsLong(up, p));
                assertTrue(Long.compareUnsigned(up, a) >= 0);
                assertEquals(up, ops.alignDown().applyAsLong(up, p), "alignDown(alignUp(a)) == alignUp(a)");
                assertEquals(aligned, up == down);
            } else {
                assertThrows(AddressOverflowException.class, () -> ops.alignUp().applyAsLong(a, p));
            }
        });
    }

    @ParameterizedTest
    @MethodSource("types")
    void compareToIsUnsignedOrder(AddressOps ops) {
        Seeded.repeat(ops + " compareTo", ITERATIONS, (random, i) -> {
            long a = Gen.unsigned(random);
            long b = random.nextInt(8) == 0 ? a : Gen.unsigned(random);
            assertEquals(big(a).compareTo(big(b)), Integer.signum((int) ops.compare().applyAsLong(a, b)));
            assertEquals(-Integer.signum((int) ops.compare().applyAsLong(a, b)),
                    Integer.signum((int) ops.compare().applyAsLong(b, a)));
        });
    }
}
