package dev.jvmm.kvm.sys;

import java.lang.foreign.MemoryLayout;

/**
 * Ioctl request numbers as asm-generic/ioctl.h builds them: {@code dir << 30 | size << 16 | type << 8 | nr}.
 * The methods keep the C macro names so a definition here reads like the header line it mirrors;
 * {@code size} is the argument struct's layout size. Results are {@code long}s, zero-extended: that is
 * how they must reach ioctl(2)'s {@code unsigned long request}.
 */
public final class Ioctl {

    public static final int _IOC_NRBITS = 8;
    public static final int _IOC_TYPEBITS = 8;
    public static final int _IOC_SIZEBITS = 14;
    public static final int _IOC_DIRBITS = 2;

    public static final int _IOC_NRSHIFT = 0;
    public static final int _IOC_TYPESHIFT = _IOC_NRSHIFT + _IOC_NRBITS;
    public static final int _IOC_SIZESHIFT = _IOC_TYPESHIFT + _IOC_TYPEBITS;
    public static final int _IOC_DIRSHIFT = _IOC_SIZESHIFT + _IOC_SIZEBITS;

    public static final int _IOC_NONE = 0;
    public static final int _IOC_WRITE = 1;
    public static final int _IOC_READ = 2;

    private Ioctl() {}

    /** {@code _IOC(dir, type, nr, size)}, refusing fields that do not fit their bit widths. */
    public static long _IOC(int dir, int type, int nr, long size) {
        check("dir", dir, _IOC_DIRBITS);
        check("type", type, _IOC_TYPEBITS);
        check("nr", nr, _IOC_NRBITS);
        check("size", size, _IOC_SIZEBITS);
        return ((long) dir << _IOC_DIRSHIFT) | ((long) type << _IOC_TYPESHIFT) | ((long) nr << _IOC_NRSHIFT)
                | (size << _IOC_SIZESHIFT);
    }

    /** {@code _IO(type, nr)}: no argument, or an integer passed by value. */
    public static long _IO(int type, int nr) {
        return _IOC(_IOC_NONE, type, nr, 0);
    }

    /** {@code _IOR(type, nr, argtype)}: the kernel writes the argument. */
    public static long _IOR(int type, int nr, MemoryLayout argument) {
        return _IOC(_IOC_READ, type, nr, argument.byteSize());
    }

    /** {@code _IOW(type, nr, argtype)}: the kernel reads the argument. */
    public static long _IOW(int type, int nr, MemoryLayout argument) {
        return _IOC(_IOC_WRITE, type, nr, argument.byteSize());
    }

    /** {@code _IOWR(type, nr, argtype)}: the kernel reads and writes the argument. */
    public static long _IOWR(int type, int nr, MemoryLayout argument) {
        return _IOC(_IOC_READ | _IOC_WRITE, type, nr, argument.byteSize());
    }

    /** {@code _IOC_DIR(nr)}. */
    public static int _IOC_DIR(long request) { return field(request, _IOC_DIRSHIFT, _IOC_DIRBITS); }
    /** {@code _IOC_TYPE(nr)}. */
    public static int _IOC_TYPE(long request) { return field(request, _IOC_TYPESHIFT, _IOC_TYPEBITS); }
    /** {@code _IOC_NR(nr)}. */
    public static int _IOC_NR(long request) { return field(request, _IOC_NRSHIFT, _IOC_NRBITS); }
    /** {@code _IOC_SIZE(nr)}. */
    public static int _IOC_SIZE(long request) { return field(request, _IOC_SIZESHIFT, _IOC_SIZEBITS); }

    private static int field(long request, int shift, int bits) {
        return (int) ((request >>> shift) & ((1L << bits) - 1));
    }

    private static void check(String name, long value, int bits) {
        if (value < 0 || value >= (1L << bits)) {
            throw new IllegalArgumentException(
                    "ioctl " + name + " " + value + " does not fit the " + bits + " bits asm-generic/ioctl.h gives it");
        }
    }
}
