package dev.jvmm.acpi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A growing little-endian byte buffer for ACPI structures, with the system description table header
 * (ACPI 6.5 section 5.2.6) and the checksum rule every table shares: all bytes of the table, checksum
 * included, sum to zero modulo 256.
 */
final class TableWriter {
    /** Bytes in a system description table header. */
    static final int HEADER_SIZE = 36;
    static final String OEM_ID = "JVMM  ";
    static final String CREATOR_ID = "JVMM";
    static final int OEM_REVISION = 1;
    static final int CREATOR_REVISION = 1;
    private static final int LENGTH_OFFSET = 4;
    private static final int CHECKSUM_OFFSET = 9;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TableWriter u8(int value) {
        out.write(value);
        return this;
    }

    TableWriter u16(int value) {
        return u8(value).u8(value >>> 8);
    }

    TableWriter u32(long value) {
        return u16((int) value).u16((int) (value >>> 16));
    }

    TableWriter u64(long value) {
        return u32(value).u32(value >>> 32);
    }

    TableWriter bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    TableWriter zeros(int n) {
        return bytes(new byte[n]);
    }

    /** {@code s} in ASCII, exactly {@code width} bytes: refused when longer, padded with spaces when shorter. */
    TableWriter ascii(String s, int width) {
        byte[] a = s.getBytes(StandardCharsets.US_ASCII);
        if (a.length > width || !StandardCharsets.US_ASCII.newEncoder().canEncode(s)) {
            throw new IllegalArgumentException("\"" + s + "\" is not an ASCII field of at most " + width + " bytes");
        }
        bytes(a);
        for (int i = a.length; i < width; i++) {
            u8(' ');
        }
        return this;
    }

    /**
     * A Generic Address Structure (ACPI 6.5 section 5.2.3.2): space, bit width, bit offset, access size,
     * 64-bit address. An absent register is all zeros.
     */
    TableWriter gas(int spaceId, int bitWidth, int accessSize, long address) {
        return u8(spaceId).u8(bitWidth).u8(0).u8(accessSize).u64(address);
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    /** A header for {@code signature} with the length and checksum still zero; {@link #finishTable} fills them. */
    static TableWriter table(String signature, int revision, String oemTableId) {
        TableWriter w = new TableWriter();
        w.ascii(signature, 4).u32(0).u8(revision).u8(0).ascii(OEM_ID, 6).ascii(oemTableId, 8).u32(OEM_REVISION)
                .ascii(CREATOR_ID, 4).u32(CREATOR_REVISION);
        return w;
    }

    /** The table's bytes with its length and checksum filled in. */
    byte[] finishTable() {
        byte[] b = toByteArray();
        int len = b.length;
        b[LENGTH_OFFSET] = (byte) len;
        b[LENGTH_OFFSET + 1] = (byte) (len >>> 8);
        b[LENGTH_OFFSET + 2] = (byte) (len >>> 16);
        b[LENGTH_OFFSET + 3] = (byte) (len >>> 24);
        b[CHECKSUM_OFFSET] = checksum(b, 0, len);
        return b;
    }

    /** The byte that makes {@code b[off, off + len)} sum to zero (mod 256), given its own slot holds 0. */
    static byte checksum(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = off; i < off + len; i++) {
            sum += b[i];
        }
        return (byte) -sum;
    }
}
