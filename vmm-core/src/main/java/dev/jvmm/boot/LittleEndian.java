package dev.jvmm.boot;

/**
 * Little-endian reads and writes of unsigned fields in a byte array, the way the x86 boot structures
 * are laid out. Offsets are checked by the array itself (an out-of-range offset throws).
 */
final class LittleEndian {

    private LittleEndian() {
    }

    static int u8(byte[] b, int off) {
        return b[off] & 0xff;
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    static long u32(byte[] b, int off) {
        return (u16(b, off) | (long) u16(b, off + 2) << 16) & 0xffff_ffffL;
    }

    static long u64(byte[] b, int off) {
        return u32(b, off) | u32(b, off + 4) << 32;
    }

    static void put8(byte[] b, int off, int value) {
        b[off] = (byte) value;
    }

    static void put16(byte[] b, int off, int value) {
        b[off] = (byte) value;
        b[off + 1] = (byte) (value >>> 8);
    }

    static void put32(byte[] b, int off, long value) {
        put16(b, off, (int) value);
        put16(b, off + 2, (int) (value >>> 16));
    }

    static void put64(byte[] b, int off, long value) {
        put32(b, off, value);
        put32(b, off + 4, value >>> 32);
    }
}
