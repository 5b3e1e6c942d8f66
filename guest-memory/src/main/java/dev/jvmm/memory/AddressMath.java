package dev.jvmm.memory;

/**
 * Checked unsigned 64-bit arithmetic shared by the address and range records. Every {@code long} here
 * is an unsigned quantity; nothing wraps silently.
 */
final class AddressMath {

    private AddressMath() {
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    /** {@code address + bytes}, both unsigned; throws when the sum passes {@code 2^64 - 1}. */
    static long plus(String type, long address, long bytes) {
        long sum = address + bytes;
        if (Long.compareUnsigned(sum, address) < 0) {
            throw new AddressOverflowException(type + "[" + hex(address) + "] + " + hex(bytes)
                    + " bytes passes the top of the 64-bit address space (0xffffffffffffffff)");
        }
        return sum;
    }

    /** {@code address - bytes}, both unsigned; throws when the result would be below zero. */
    static long minus(String type, long address, long bytes) {
        if (Long.compareUnsigned(address, bytes) < 0) {
            throw new AddressOverflowException(type + "[" + hex(address) + "] - " + hex(bytes)
                    + " bytes goes below address 0");
        }
        return address - bytes;
    }

    /** {@code address - base} as an unsigned byte count; throws unless {@code base <= address}. */
    static long offsetFrom(String type, long address, long base) {
        if (Long.compareUnsigned(address, base) < 0) {
            throw new AddressOverflowException(type + "[" + hex(address) + "] lies below " + type + "["
                    + hex(base) + "]: an offset from a higher address would be negative");
        }
        return address - base;
    }

    static long alignUp(String type, long address, long alignment) {
        long mask = checkPowerOfTwo(alignment) - 1;
        if ((address & mask) == 0) {
            return address;
        }
        long up = (address | mask) + 1;
        if (up == 0) {
            throw new AddressOverflowException(type + "[" + hex(address) + "] aligned up to "
                    + hex(alignment) + " passes the top of the 64-bit address space");
        }
        return up;
    }

    static long alignDown(long address, long alignment) {
        return address & -checkPowerOfTwo(alignment);
    }

    static boolean isAligned(long address, long alignment) {
        return (address & (checkPowerOfTwo(alignment) - 1)) == 0;
    }

    /** Power of two as an unsigned value: {@code 1 .. 2^63} (2^63 is {@link Long#MIN_VALUE}). */
    static long checkPowerOfTwo(long alignment) {
        if (Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two such as 0x1000 (4 KiB) or "
                    + "0x200000 (2 MiB), got " + hex(alignment));
        }
        return alignment;
    }

    /** Human-readable size for messages: exact binary units when they divide, else bytes. */
    static String size(long bytes) {
        String[] units = {"EiB", "PiB", "TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            int shift = 60 - 10 * i;
            long unit = 1L << shift;
            if (bytes != 0 && Long.remainderUnsigned(bytes, unit) == 0) {
                return Long.toUnsignedString(bytes >>> shift) + " " + units[i];
            }
        }
        return Long.toUnsignedString(bytes) + " bytes";
    }
}
