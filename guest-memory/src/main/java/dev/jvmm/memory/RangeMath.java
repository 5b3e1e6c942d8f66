package dev.jvmm.memory;

/**
 * Unsigned interval logic shared by {@link GpaRange} and {@link IovaRange}. Intervals are handled as
 * inclusive {@code [first, last]} pairs so that a range ending exactly at {@code 2^64} needs no 65th
 * bit.
 */
final class RangeMath {

    private RangeMath() {
    }

    /** Validates a {@code (start, length)} range and returns its inclusive last address. */
    static long last(String type, long start, long length) {
        if (length == 0) {
            throw new IllegalArgumentException(type + " at " + AddressMath.hex(start)
                    + " has length 0: a range holds at least one byte");
        }
        if (Long.compareUnsigned(length - 1, ~start) > 0) {
            throw new AddressOverflowException(type + " at " + AddressMath.hex(start) + " of length "
                    + AddressMath.hex(length) + " ends past 2^64; at most " + AddressMath.hex(-start)
                    + " bytes fit above its start");
        }
        return start + (length - 1);
    }

    /** Length of the inclusive interval; throws for {@code [0, 2^64 - 1]}, whose length needs 65 bits. */
    static long lengthInclusive(String type, long first, long last) {
        if (Long.compareUnsigned(first, last) > 0) {
            throw new IllegalArgumentException(type + " first address " + AddressMath.hex(first)
                    + " lies above its last address " + AddressMath.hex(last));
        }
        long length = last - first + 1;
        if (length == 0) {
            throw new AddressOverflowException(type + " covering the whole 64-bit space has length 2^64, "
                    + "which does not fit an unsigned 64-bit length");
        }
        return length;
    }

    static boolean contains(long first, long last, long address) {
        return Long.compareUnsigned(first, address) <= 0 && Long.compareUnsigned(address, last) <= 0;
    }

    static boolean overlaps(long first1, long last1, long first2, long last2) {
        return Long.compareUnsigned(first1, last2) <= 0 && Long.compareUnsigned(first2, last1) <= 0;
    }

    static long max(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    static long min(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    static String format(String type, long first, long last, long length) {
        return type + "[" + AddressMath.hex(first) + ".." + AddressMath.hex(last) + ", "
                + AddressMath.size(length) + "]";
    }
}
