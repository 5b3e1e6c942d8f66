package dev.jvmm.acpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small AML parser for what a DSDT made of names, scopes, devices and constants holds (ACPI 6.5 chapter
 * 20), written from the grammar and not from {@link Aml}: every PkgLength must end exactly where its
 * contents end, every Package must hold NumElements elements and every Buffer BufferSize bytes. The
 * result is the namespace the table creates: objects by absolute path ({@code \_SB_.PCI0._HID}), with
 * integers as {@link Long}, strings as {@link String}, packages as {@link List}, buffers as {@link Buffer}.
 */
final class AmlReader {
    record Buffer(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Buffer b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Buffer" + Arrays.toString(bytes);
        }
    }

    final Map<String, Object> names = new LinkedHashMap<>();
    final List<String> devices = new ArrayList<>();
    final List<String> scopes = new ArrayList<>();
    private final byte[] aml;
    private int pos;

    private AmlReader(byte[] aml) {
        this.aml = aml;
    }

    /** Parses a whole term list: a DSDT's bytes after its 36-byte header. */
    static AmlReader parse(byte[] aml) {
        AmlReader r = new AmlReader(aml);
        r.termList(aml.length, "\\");
        assertEquals(aml.length, r.pos, "the term list ends where the table ends");
        return r;
    }

    /** Parses one data object (integer, string, buffer, package) that must fill {@code aml} exactly. */
    static Object parseObject(byte[] aml) {
        AmlReader r = new AmlReader(aml);
        Object o = r.dataObject();
        assertEquals(aml.length, r.pos, "the object fills its bytes");
        return o;
    }

    /** The EISA ID string an encoded _HID/_CID integer stands for (ACPI 6.5 section 6.1.5). */
    static String eisaId(Object value) {
        long v = Integer.reverseBytes((int) (long) (Long) value) & 0xffff_ffffL;
        return "" + (char) ('@' + (v >>> 26 & 0x1f)) + (char) ('@' + (v >>> 21 & 0x1f)) + (char) ('@' + (v >>> 16 & 0x1f))
                + String.format("%04X", v & 0xffff);
    }

    /** Decodes a PkgLength at {@code pos}; returns the end of the package (pos of the lead byte + value). */
    static int[] pkgLength(byte[] b, int pos) {
        int lead = b[pos] & 0xff;
        int follow = lead >>> 6;
        if (follow == 0) {
            return new int[] {lead & 0x3f, 1};
        }
        assertEquals(0, lead & 0x30, "bits 5:4 of a multi-byte PkgLength lead byte are reserved");
        int value = lead & 0x0f;
        for (int i = 1; i <= follow; i++) {
            value |= (b[pos + i] & 0xff) << (4 + 8 * (i - 1));
        }
        return new int[] {value, 1 + follow};
    }

    private void termList(int end, String scope) {
        while (pos < end) {
            int op = u8();
            switch (op) {
                case 0x08 -> {
                    String path = resolve(scope, nameString());
                    Object value = dataObject();
                    assertTrue(names.put(path, value) == null, "duplicate name " + path);
                }
                case 0x10 -> {
                    int pkgEnd = pkgEnd();
                    String path = resolve(scope, nameString());
                    scopes.add(path);
                    termList(pkgEnd, path);
                    assertEquals(pkgEnd, pos, "Scope " + path + " ends at its PkgLength");
                }
                case 0x5b -> {
                    int ext = u8();
                    assertEquals(0x82, ext, "only DeviceOp follows ExtOpPrefix here");
                    int pkgEnd = pkgEnd();
                    String path = resolve(scope, nameString());
                    assertTrue(!devices.contains(path), "duplicate device " + path);
                    devices.add(path);
                    termList(pkgEnd, path);
                    assertEquals(pkgEnd, pos, "Device " + path + " ends at its PkgLength");
                }
                default -> throw new AssertionError(String.format("unexpected opcode 0x%02x at offset %d", op, pos - 1));
            }
        }
        assertEquals(end, pos, "terms end exactly at their container's end");
    }

    private Object dataObject() {
        int op = u8();
        return switch (op) {
            case 0x00 -> 0L;
            case 0x01 -> 1L;
            case 0xff -> -1L;
            case 0x0a -> (long) u8();
            case 0x0b -> little(2);
            case 0x0c -> little(4);
            case 0x0e -> little(8);
            case 0x0d -> {
                int start = pos;
                while (aml[pos] != 0) {
                    assertTrue(aml[pos] > 0, "AML string characters are 0x01-0x7f");
                    pos++;
                }
                String s = new String(aml, start, pos - start, StandardCharsets.US_ASCII);
                pos++;
                yield s;
            }
            case 0x11 -> {
                int pkgEnd = pkgEnd();
                Object size = dataObject();
                assertTrue(size instanceof Long, "BufferSize is an integer");
                assertEquals((long) size, pkgEnd - pos, "BufferSize matches the bytes in the buffer");
                byte[] bytes = Arrays.copyOfRange(aml, pos, pkgEnd);
                pos = pkgEnd;
                yield new Buffer(bytes);
            }
            case 0x12 -> {
                int pkgEnd = pkgEnd();
                int count = u8();
                List<Object> elements = new ArrayList<>();
                while (pos < pkgEnd) {
                    elements.add(dataObject());
                }
                assertEquals(pkgEnd, pos, "Package elements end at its PkgLength");
                assertEquals(count, elements.size(), "NumElements");
                yield elements;
            }
            default -> throw new AssertionError(String.format("unexpected data object opcode 0x%02x at offset %d",
                    op, pos - 1));
        };
    }

    /** A NameString as written: optional root, then the segments joined by dots. */
    private String nameString() {
        StringBuilder sb = new StringBuilder();
        if (aml[pos] == '\\') {
            sb.append('\\');
            pos++;
        }
        int segs;
        int first = aml[pos] & 0xff;
        if (first == 0x2e) {
            pos++;
            segs = 2;
        } else if (first == 0x2f) {
            pos++;
            segs = u8();
        } else {
            segs = 1;
        }
        for (int i = 0; i < segs; i++) {
            String seg = new String(aml, pos, 4, StandardCharsets.US_ASCII);
            assertTrue(seg.matches("[A-Z_][A-Z0-9_]{3}"), "name segment \"" + seg + "\" at offset " + pos);
            pos += 4;
            sb.append(i > 0 ? "." : "").append(seg);
        }
        return sb.toString();
    }

    private static String resolve(String scope, String name) {
        if (name.startsWith("\\")) {
            return name;
        }
        return scope.equals("\\") ? "\\" + name : scope + "." + name;
    }

    private int pkgEnd() {
        int start = pos;
        int[] len = pkgLength(aml, pos);
        pos += len[1];
        int end = start + len[0];
        assertTrue(end <= aml.length, "PkgLength at offset " + start + " runs past the end of the AML");
        return end;
    }

    private int u8() {
        return aml[pos++] & 0xff;
    }

    private long little(int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (long) u8() << (8 * i);
        }
        return v;
    }
}
