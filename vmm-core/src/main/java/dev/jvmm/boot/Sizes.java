package dev.jvmm.boot;

/** Formatting of addresses and sizes for error messages. */
final class Sizes {
    static final long KIB = 1L << 10;
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;

    private Sizes() {
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    /** "40 MiB", "4 KiB", "2 GiB" when the unit divides exactly, else "N bytes". */
    static String size(long bytes) {
        if (bytes != 0 && bytes % GIB == 0) {
            return bytes / GIB + " GiB";
        }
        if (bytes != 0 && bytes % MIB == 0) {
            return bytes / MIB + " MiB";
        }
        if (bytes != 0 && bytes % KIB == 0) {
            return bytes / KIB + " KiB";
        }
        return bytes + " bytes";
    }

    /** Whole MiB needed to hold {@code bytes}, rounded up. */
    static long mibCeil(long bytes) {
        return (bytes + MIB - 1) / MIB;
    }
}
