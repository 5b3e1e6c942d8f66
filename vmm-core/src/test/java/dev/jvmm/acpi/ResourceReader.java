package dev.jvmm.acpi;

import static dev.jvmm.acpi.AcpiTableReader.u16;
import static dev.jvmm.acpi.AcpiTableReader.u32;
import static dev.jvmm.acpi.AcpiTableReader.u64;
import static dev.jvmm.acpi.AcpiTableReader.u8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

/** Decodes a resource template (ACPI 6.5 section 6.4) from a _CRS buffer, independently of {@link Aml}. */
final class ResourceReader {

    sealed interface Resource {
    }

    /** Word (0x88), DWord (0x87) or QWord (0x8a) address space descriptor. */
    record Address(int descriptor, int type, int generalFlags, int typeFlags, long granularity, long min, long max,
                   long translation, long length) implements Resource {
    }

    record Io(int info, int min, int max, int alignment, int length) implements Resource {
    }

    record Memory32Fixed(int info, long base, long length) implements Resource {
    }

    private ResourceReader() {
    }

    /** The descriptors before the end tag, which must be the last two bytes. */
    static List<Resource> parse(byte[] b) {
        List<Resource> out = new ArrayList<>();
        int p = 0;
        while (true) {
            int tag = u8(b, p);
            if (tag == 0x79) {
                assertEquals(b.length, p + 2, "the end tag closes the template");
                assertEquals(0, b[p + 1], "end tag checksum 0 (treated as valid)");
                return out;
            }
            if ((tag & 0x80) == 0) {
                // small item: name in bits 6:3, data length in bits 2:0; IO is name 0x08 with 7 bytes
                assertEquals(0x47, tag, "only IO small descriptors are expected, got 0x" + Integer.toHexString(tag));
                int len = tag & 0x07;
                out.add(new Io(u8(b, p + 1), u16(b, p + 2), u16(b, p + 4), u8(b, p + 6), u8(b, p + 7)));
                p += 1 + len;
                continue;
            }
            int len = u16(b, p + 1);
            int d = p + 3;
            switch (tag) {
                case 0x86 -> {
                    assertEquals(9, len);
                    out.add(new Memory32Fixed(u8(b, d), u32(b, d + 1), u32(b, d + 5)));
                }
                case 0x88 -> {
                    assertEquals(13, len);
                    out.add(new Address(tag, u8(b, d), u8(b, d + 1), u8(b, d + 2), u16(b, d + 3), u16(b, d + 5),
                            u16(b, d + 7), u16(b, d + 9), u16(b, d + 11)));
                }
                case 0x87 -> {
                    assertEquals(23, len);
                    out.add(new Address(tag, u8(b, d), u8(b, d + 1), u8(b, d + 2), u32(b, d + 3), u32(b, d + 7),
                            u32(b, d + 11), u32(b, d + 15), u32(b, d + 19)));
                }
                case 0x8a -> {
                    assertEquals(43, len);
                    out.add(new Address(tag, u8(b, d), u8(b, d + 1), u8(b, d + 2), u64(b, d + 3), u64(b, d + 11),
                            u64(b, d + 19), u64(b, d + 27), u64(b, d + 35)));
                }
                default -> throw new AssertionError("unexpected large descriptor 0x" + Integer.toHexString(tag));
            }
            p += 3 + len;
        }
    }
}
