package dev.jvmm.acpi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encoders for the few ACPI Machine Language terms the DSDT needs (ACPI 6.5 chapter 20, "ACPI Machine
 * Language Specification"; resource descriptors from section 6.4), in the manner of rust-vmm's
 * {@code acpi_tables::aml}: each method returns the bytes of one complete term, and containers take
 * the bytes of their children.
 *
 * <p>Names are given as ASL writes them ({@code "\\_SB.PCI0"}, {@code "_S5"}): an optional root prefix,
 * then name segments separated by dots, each of 1-4 characters from {@code A-Z 0-9 _} (not starting
 * with a digit), padded with {@code _} to four. Integers use the shortest encoding (ZeroOp, OneOp, then
 * byte, word, dword, qword prefixes), as the ASL compiler does.
 */
public final class Aml {
    static final int ZERO_OP = 0x00;
    static final int ONE_OP = 0x01;
    static final int NAME_OP = 0x08;
    static final int BYTE_PREFIX = 0x0a;
    static final int WORD_PREFIX = 0x0b;
    static final int DWORD_PREFIX = 0x0c;
    static final int STRING_PREFIX = 0x0d;
    static final int QWORD_PREFIX = 0x0e;
    static final int SCOPE_OP = 0x10;
    static final int BUFFER_OP = 0x11;
    static final int PACKAGE_OP = 0x12;
    static final int DUAL_NAME_PREFIX = 0x2e;
    static final int MULTI_NAME_PREFIX = 0x2f;
    static final int EXT_OP_PREFIX = 0x5b;
    static final int DEVICE_OP = 0x82; // after EXT_OP_PREFIX
    static final int ROOT_CHAR = '\\';

    // Resource descriptors (ACPI 6.5 section 6.4)
    static final int IO_DESCRIPTOR = 0x47; // small item, 7 bytes of data
    static final int END_TAG = 0x79; // small item, 1 byte of data (checksum)
    static final int MEMORY32_FIXED_DESCRIPTOR = 0x86;
    static final int DWORD_ADDRESS_DESCRIPTOR = 0x87;
    static final int WORD_ADDRESS_DESCRIPTOR = 0x88;
    static final int QWORD_ADDRESS_DESCRIPTOR = 0x8a;
    static final int RESOURCE_MEMORY = 0;
    static final int RESOURCE_IO = 1;
    static final int RESOURCE_BUS_NUMBER = 2;
    /** General flags of an address space descriptor: _MIF and _MAF set, positive decode, producer. */
    static final int MIN_FIXED_MAX_FIXED_PRODUCER = 0x0c;
    /** Memory type-specific flags: read/write, non-cacheable (so both kinds of BAR fit the window). */
    static final int MEMORY_READ_WRITE_NON_CACHEABLE = 0x01;
    /** I/O type-specific flags: _RNG = 3, the window decodes ISA and non-ISA ranges. */
    static final int IO_ENTIRE_RANGE = 0x03;

    private static final int MAX_PKG_LENGTH = (1 << 28) - 1;

    private Aml() {
    }

    /** {@code Name(path, object)}: NameOp NameString DataRefObject. */
    public static byte[] name(String path, byte[] object) {
        return concat(new byte[] {NAME_OP}, nameString(path), object);
    }

    /** {@code Scope(path) { terms }}: ScopeOp PkgLength NameString TermList. */
    public static byte[] scope(String path, byte[]... terms) {
        return withPkgLength(new byte[] {SCOPE_OP}, concat(nameString(path), concat(terms)));
    }

    /** {@code Device(path) { terms }}: ExtOpPrefix DeviceOp PkgLength NameString TermList. */
    public static byte[] device(String path, byte[]... terms) {
        return withPkgLength(new byte[] {EXT_OP_PREFIX, (byte) DEVICE_OP}, concat(nameString(path), concat(terms)));
    }

    /** {@code Package() { elements }}: PackageOp PkgLength NumElements PackageElementList. */
    public static byte[] pkg(byte[]... elements) {
        if (elements.length > 255) {
            throw new IllegalArgumentException("a Package holds at most 255 elements (use VarPackage), got "
                    + elements.length);
        }
        return withPkgLength(new byte[] {PACKAGE_OP}, concat(new byte[] {(byte) elements.length}, concat(elements)));
    }

    /** {@code Buffer() { data }}: BufferOp PkgLength BufferSize ByteList. */
    public static byte[] buffer(byte[] data) {
        return withPkgLength(new byte[] {BUFFER_OP}, concat(integer(data.length), data));
    }

    /** An integer constant in its shortest encoding (an unsigned 64-bit value). */
    public static byte[] integer(long value) {
        if (value == 0) {
            return new byte[] {ZERO_OP};
        }
        if (value == 1) {
            return new byte[] {ONE_OP};
        }
        if (Long.compareUnsigned(value, 0xff) <= 0) {
            return prefixed(BYTE_PREFIX, value, 1);
        }
        if (Long.compareUnsigned(value, 0xffff) <= 0) {
            return prefixed(WORD_PREFIX, value, 2);
        }
        if (Long.compareUnsigned(value, 0xffff_ffffL) <= 0) {
            return prefixed(DWORD_PREFIX, value, 4);
        }
        return prefixed(QWORD_PREFIX, value, 8);
    }

    /** A string constant: StringPrefix, ASCII characters 0x01-0x7f, NUL. */
    public static byte[] string(String s) {
        byte[] a = s.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < a.length; i++) {
            if (a[i] <= 0 || s.charAt(i) > 0x7f) {
                throw new IllegalArgumentException("AML strings hold ASCII 0x01-0x7f only: \"" + s + "\"");
            }
        }
        return concat(new byte[] {STRING_PREFIX}, a, new byte[] {0});
    }

    /**
     * {@code EisaId("PNP0A08")}: three upper-case letters and four hex digits compressed into a 32-bit
     * value (5 bits per letter, 4 per digit, big-endian, then stored little-endian), always as a dword
     * as the ASL compiler emits it.
     */
    public static byte[] eisaId(String id) {
        if (!id.matches("[A-Z]{3}[0-9A-F]{4}")) {
            throw new IllegalArgumentException("an EISA ID is three letters A-Z and four upper-case hex digits, got \""
                    + id + "\"");
        }
        long v = (long) (id.charAt(0) - 0x40) << 26 | (long) (id.charAt(1) - 0x40) << 21
                | (long) (id.charAt(2) - 0x40) << 16 | Long.parseLong(id.substring(3), 16);
        long swapped = Integer.reverseBytes((int) v) & 0xffff_ffffL;
        return prefixed(DWORD_PREFIX, swapped, 4);
    }

    /** {@code ResourceTemplate() { descriptors }}: a buffer of the descriptors and an end tag (checksum 0). */
    public static byte[] resourceTemplate(byte[]... descriptors) {
        return buffer(concat(concat(descriptors), new byte[] {END_TAG, 0}));
    }

    /** {@code WordBusNumber(ResourceProducer, MinFixed, MaxFixed, PosDecode, 0, min, max, 0, count)}. */
    public static byte[] wordBusNumber(int min, int max) {
        checkRange("bus number", min, max, 0xff);
        return wordAddress(RESOURCE_BUS_NUMBER, 0, min, max);
    }

    /** {@code WordIO(ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange, 0, min, max, 0, length)}. */
    public static byte[] wordIo(int min, int max) {
        checkRange("I/O port", min, max, 0xffff);
        return wordAddress(RESOURCE_IO, IO_ENTIRE_RANGE, min, max);
    }

    /** {@code IO(Decode16, min, max, alignment, length)}: ports a device itself decodes. */
    public static byte[] io(int min, int max, int alignment, int length) {
        checkRange("I/O port", min, max, 0xffff);
        if (alignment < 0 || alignment > 0xff || length < 0 || length > 0xff) {
            throw new IllegalArgumentException("IO() alignment and length are bytes, got " + alignment + ", " + length);
        }
        TableWriter w = new TableWriter();
        w.u8(IO_DESCRIPTOR).u8(1 /* 16-bit decode */).u16(min).u16(max).u8(alignment).u8(length);
        return w.toByteArray();
    }

    /** {@code DWordMemory(ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite, ...)}. */
    public static byte[] dwordMemory(long min, long max) {
        checkRange("32-bit memory", min, max, 0xffff_ffffL);
        TableWriter w = new TableWriter();
        w.u8(DWORD_ADDRESS_DESCRIPTOR).u16(23).u8(RESOURCE_MEMORY).u8(MIN_FIXED_MAX_FIXED_PRODUCER)
                .u8(MEMORY_READ_WRITE_NON_CACHEABLE).u32(0).u32(min).u32(max).u32(0).u32(max - min + 1);
        return w.toByteArray();
    }

    /** {@code QWordMemory(ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite, ...)}. */
    public static byte[] qwordMemory(long min, long max) {
        if (Long.compareUnsigned(min, max) > 0 || max - min == -1L) {
            throw new IllegalArgumentException(String.format("64-bit memory range 0x%x-0x%x is empty or all of 2^64",
                    min, max));
        }
        TableWriter w = new TableWriter();
        w.u8(QWORD_ADDRESS_DESCRIPTOR).u16(43).u8(RESOURCE_MEMORY).u8(MIN_FIXED_MAX_FIXED_PRODUCER)
                .u8(MEMORY_READ_WRITE_NON_CACHEABLE).u64(0).u64(min).u64(max).u64(0).u64(max - min + 1);
        return w.toByteArray();
    }

    /** {@code Memory32Fixed(ReadWrite, base, length)}: memory a device itself decodes. */
    public static byte[] memory32Fixed(long base, long length) {
        checkRange("32-bit fixed memory", base, base + length - 1, 0xffff_ffffL);
        TableWriter w = new TableWriter();
        w.u8(MEMORY32_FIXED_DESCRIPTOR).u16(9).u8(1 /* read/write */).u32(base).u32(length);
        return w.toByteArray();
    }

    /** A NameString: optional root prefix, then one segment, a dual-name prefix, or a multi-name prefix. */
    static byte[] nameString(String path) {
        boolean root = path.startsWith("\\");
        String rest = root ? path.substring(1) : path;
        String[] segs = rest.split("\\.", -1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (root) {
            out.write(ROOT_CHAR);
        }
        if (segs.length == 2) {
            out.write(DUAL_NAME_PREFIX);
        } else if (segs.length > 2) {
            if (segs.length > 255) {
                throw new IllegalArgumentException("name path \"" + path + "\" has more than 255 segments");
            }
            out.write(MULTI_NAME_PREFIX);
            out.write(segs.length);
        }
        for (String seg : segs) {
            out.writeBytes(nameSeg(seg, path));
        }
        return out.toByteArray();
    }

    private static byte[] nameSeg(String seg, String path) {
        if (!seg.matches("[A-Z_][A-Z0-9_]{0,3}")) {
            throw new IllegalArgumentException("\"" + seg + "\" in \"" + path + "\" is not an ACPI name segment: 1-4"
                    + " characters A-Z, 0-9 or _, not starting with a digit");
        }
        byte[] b = {'_', '_', '_', '_'};
        for (int i = 0; i < seg.length(); i++) {
            b[i] = (byte) seg.charAt(i);
        }
        return b;
    }

    /**
     * The PkgLength encoding of a package whose contents after the PkgLength take {@code contentLength}
     * bytes: the value counts itself, in 1 byte up to 63 or 2-4 bytes (low nibble in the lead byte, then
     * whole bytes) up to 2^28 - 1.
     */
    static byte[] pkgLength(int contentLength) {
        for (int n = 1; n <= 4; n++) {
            long total = (long) contentLength + n;
            long limit = n == 1 ? 0x3f : (1L << (4 + 8 * (n - 1))) - 1;
            if (total <= limit && total <= MAX_PKG_LENGTH) {
                byte[] b = new byte[n];
                if (n == 1) {
                    b[0] = (byte) total;
                    return b;
                }
                b[0] = (byte) ((n - 1) << 6 | (total & 0x0f));
                for (int i = 1; i < n; i++) {
                    b[i] = (byte) (total >>> (4 + 8 * (i - 1)));
                }
                return b;
            }
        }
        throw new IllegalArgumentException("AML package of " + contentLength + " bytes exceeds the PkgLength limit of "
                + MAX_PKG_LENGTH + " bytes");
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] withPkgLength(byte[] opcode, byte[] contents) {
        return concat(opcode, pkgLength(contents.length), contents);
    }

    private static byte[] wordAddress(int resourceType, int typeFlags, int min, int max) {
        if (max - min + 1 > 0xffff) {
            throw new IllegalArgumentException(String.format("range 0x%x-0x%x is longer than a Word address"
                    + " descriptor's 16-bit length", min, max));
        }
        TableWriter w = new TableWriter();
        w.u8(WORD_ADDRESS_DESCRIPTOR).u16(13).u8(resourceType).u8(MIN_FIXED_MAX_FIXED_PRODUCER).u8(typeFlags)
                .u16(0).u16(min).u16(max).u16(0).u16(max - min + 1);
        return w.toByteArray();
    }

    private static byte[] prefixed(int prefix, long value, int bytes) {
        byte[] b = new byte[1 + bytes];
        b[0] = (byte) prefix;
        for (int i = 0; i < bytes; i++) {
            b[1 + i] = (byte) (value >>> (8 * i));
        }
        return b;
    }

    private static void checkRange(String what, long min, long max, long limit) {
        if (min < 0 || max < min || max > limit) {
            throw new IllegalArgumentException(String.format("%s range 0x%x-0x%x must satisfy 0 <= min <= max <= 0x%x",
                    what, min, max, limit));
        }
    }
}
