package dev.jvmm.acpi;

import dev.jvmm.memory.testing.Seeded;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AmlTest {

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void s5PackageIsTheWellKnownEncoding() {
        // Name (\_S5, Package () { 5, 5, 0, 0 }) as the ASL compiler emits it
        assertArrayEquals(bytes(0x08, '\\', '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00),
                Aml.name("\\_S5", Aml.pkg(Aml.integer(5), Aml.integer(5), Aml.integer(0), Aml.integer(0))));
    }

    @Test
    void pkgLengthUsesTheFewestBytesAndCountsItself() {
        assertArrayEquals(bytes(0x01), Aml.pkgLength(0));
        assertArrayEquals(bytes(0x3f), Aml.pkgLength(62));
        assertArrayEquals(bytes(0x41, 0x04), Aml.pkgLength(63), "65 = 0x41: lead 0x40 | 1, then 0x04");
        assertArrayEquals(bytes(0x4f, 0xff), Aml.pkgLength(4093), "4095, the largest 2-byte length");
        assertArrayEquals(bytes(0x81, 0x00, 0x01), Aml.pkgLength(4094), "4097 needs 3 bytes");
        assertArrayEquals(bytes(0x8f, 0xff, 0xff), Aml.pkgLength((1 << 20) - 4));
        assertArrayEquals(bytes(0xc1, 0x00, 0x00, 0x01), Aml.pkgLength((1 << 20) - 3), "2^20 + 1 needs 4 bytes");
        assertThrows(IllegalArgumentException.class, () -> Aml.pkgLength((1 << 28) - 4));

        Seeded.repeat("pkgLength round trip", 2000, (random, i) -> {
            int content = i < 1000 ? i * 5 : random.nextInt((1 << 28) - 5);
            byte[] enc = Aml.pkgLength(content);
            byte[] withRoom = new byte[enc.length + 1];
            System.arraycopy(enc, 0, withRoom, 0, enc.length);
            int[] decoded = AmlReader.pkgLength(withRoom, 0);
            assertEquals(content + enc.length, decoded[0], "value counts the PkgLength bytes");
            assertEquals(enc.length, decoded[1]);
            int minimal = content + 1 <= 63 ? 1 : content + 2 <= 4095 ? 2 : content + 3 < (1 << 20) ? 3 : 4;
            assertEquals(minimal, enc.length, "fewest bytes for " + content);
        });
    }

    @Test
    void integersTakeTheShortestEncoding() {
        assertArrayEquals(bytes(0x00), Aml.integer(0));
        assertArrayEquals(bytes(0x01), Aml.integer(1));
        assertArrayEquals(bytes(0x0a, 0x02), Aml.integer(2));
        assertArrayEquals(bytes(0x0a, 0xff), Aml.integer(0xff));
        assertArrayEquals(bytes(0x0b, 0x00, 0x01), Aml.integer(0x100));
        assertArrayEquals(bytes(0x0b, 0xff, 0xff), Aml.integer(0xffff));
        assertArrayEquals(bytes(0x0c, 0x00, 0x00, 0x01, 0x00), Aml.integer(0x1_0000));
        assertArrayEquals(bytes(0x0c, 0xff, 0xff, 0xff, 0xff), Aml.integer(0xffff_ffffL));
        assertArrayEquals(bytes(0x0e, 0, 0, 0, 0, 1, 0, 0, 0), Aml.integer(1L << 32));
        assertArrayEquals(bytes(0x0e, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), Aml.integer(-1L));
        Seeded.repeat("integer round trip", 1000, (random, i) -> {
            long v = random.nextLong() >>> random.nextInt(64);
            assertEquals(v, AmlReader.parseObject(Aml.integer(v)));
        });
    }

    @Test
    void eisaIdsCompressLikeTheAslCompiler() {
        assertArrayEquals(bytes(0x0c, 0x41, 0xd0, 0x0a, 0x03), Aml.eisaId("PNP0A03"));
        assertArrayEquals(bytes(0x0c, 0x41, 0xd0, 0x0a, 0x08), Aml.eisaId("PNP0A08"));
        assertArrayEquals(bytes(0x0c, 0x41, 0xd0, 0x0c, 0x02), Aml.eisaId("PNP0C02"));
        assertEquals("PNP0C02", AmlReader.eisaId(AmlReader.parseObject(Aml.eisaId("PNP0C02"))));
        for (String bad : new String[] {"PNP0A0", "pnp0a03", "PNP0A0G", "ACPI0007"}) {
            assertThrows(IllegalArgumentException.class, () -> Aml.eisaId(bad), bad);
        }
    }

    @Test
    void namesArePaddedRootedAndPrefixedBySegmentCount() {
        assertArrayEquals("_S5_".getBytes(), Aml.nameString("_S5"));
        assertArrayEquals(bytes('\\', 0x2e, '_', 'S', 'B', '_', 'P', 'C', 'I', '0'), Aml.nameString("\\_SB.PCI0"));
        assertArrayEquals(bytes(0x2f, 3, 'A', '_', '_', '_', 'B', 'C', '_', '_', 'C', '0', '0', '0'),
                Aml.nameString("A.BC.C000"));
        for (String bad : new String[] {"", "1ABC", "ABCDE", "pci0", "A..B", "\\"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Aml.nameString(bad), bad);
            assertTrue(e.getMessage().contains("name segment"), e.getMessage());
        }
        assertArrayEquals(bytes(0x0d, 'A', 'C', 'P', 'I', '0', '0', '0', '7', 0), Aml.string("ACPI0007"));
        assertThrows(IllegalArgumentException.class, () -> Aml.string("caf\u00e9"));
        assertThrows(IllegalArgumentException.class, () -> Aml.string("a\0b"));
    }

    @Test
    void resourceDescriptorsMatchTheAslCompilersBytes() {
        // WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode, 0, 0, 0xFF, 0, 0x100)
        assertArrayEquals(bytes(0x88, 0x0d, 0x00, 0x02, 0x0c, 0x00, 0, 0, 0, 0, 0xff, 0, 0, 0, 0x00, 0x01),
                Aml.wordBusNumber(0, 0xff));
        // IO (Decode16, 0x0CF8, 0x0CF8, 0x01, 0x08)
        assertArrayEquals(bytes(0x47, 0x01, 0xf8, 0x0c, 0xf8, 0x0c, 0x01, 0x08), Aml.io(0xcf8, 0xcf8, 1, 8));
        // Memory32Fixed (ReadWrite, 0xE0000000, 0x10000000)
        assertArrayEquals(bytes(0x86, 0x09, 0x00, 0x01, 0, 0, 0, 0xe0, 0, 0, 0, 0x10),
                Aml.memory32Fixed(0xe000_0000L, 0x1000_0000L));
        // ResourceTemplate: Buffer (size) { descriptors, EndTag 0x79 0x00 }
        assertArrayEquals(bytes(0x11, 0x0d, 0x0a, 0x0a, 0x47, 0x01, 0xf8, 0x0c, 0xf8, 0x0c, 0x01, 0x08, 0x79, 0x00),
                Aml.resourceTemplate(Aml.io(0xcf8, 0xcf8, 1, 8)));
        assertThrows(IllegalArgumentException.class, () -> Aml.wordIo(0, 0xffff), "length 0x10000 needs 17 bits");
        assertThrows(IllegalArgumentException.class, () -> Aml.wordIo(0x2000, 0x1000));
        assertThrows(IllegalArgumentException.class, () -> Aml.dwordMemory(0, 1L << 32));
        assertThrows(IllegalArgumentException.class, () -> Aml.qwordMemory(0, -1L));
        assertThrows(IllegalArgumentException.class, () -> Aml.memory32Fixed(0xffff_f000L, 0x2000));
    }

    /** Random nested scopes, devices and names: what the reader finds is what was encoded. */
    @Test
    void randomNamespacesRoundTripThroughAnIndependentParser() {
        Seeded.repeat("AML namespace round trip", 300, (random, iteration) -> {
            Map<String, Object> expected = new LinkedHashMap<>();
            List<String> devices = new ArrayList<>();
            byte[][] terms = terms(random, "\\", 0, expected, devices, new int[] {0});
            AmlReader r = AmlReader.parse(Aml.concat(terms));
            assertEquals(expected, r.names);
            assertEquals(devices, r.devices);
        });
    }

    private static byte[][] terms(Random random, String scope, int depth, Map<String, Object> expected,
            List<String> devices, int[] counter) {
        int n = 1 + random.nextInt(depth == 0 ? 6 : 4);
        byte[][] terms = new byte[n][];
        for (int i = 0; i < n; i++) {
            String seg = String.format("N%03X", counter[0]++ & 0xfff);
            String path = (scope.equals("\\") ? "\\" : scope + ".") + seg;
            int kind = depth >= 3 ? 0 : random.nextInt(3);
            if (kind == 0) {
                Object[] value = new Object[1];
                byte[] enc = value(random, 0, value);
                expected.put(path, value[0]);
                terms[i] = Aml.name(seg, enc);
            } else if (kind == 1) {
                devices.add(path);
                terms[i] = Aml.device(seg, terms(random, path, depth + 1, expected, devices, counter));
            } else {
                terms[i] = Aml.scope(path, terms(random, path, depth + 1, expected, devices, counter));
            }
        }
        return terms;
    }

    private static byte[] value(Random random, int depth, Object[] out) {
        switch (depth >= 2 ? random.nextInt(3) : random.nextInt(4)) {
            case 0 -> {
                long v = random.nextLong() >>> random.nextInt(64);
                out[0] = v;
                return Aml.integer(v);
            }
            case 1 -> {
                StringBuilder sb = new StringBuilder();
                int len = random.nextInt(20);
                for (int i = 0; i < len; i++) {
                    sb.append((char) (0x20 + random.nextInt(0x5f)));
                }
                out[0] = sb.toString();
                return Aml.string(sb.toString());
            }
            case 2 -> {
                byte[] data = new byte[random.nextInt(6000)];
                random.nextBytes(data);
                out[0] = new AmlReader.Buffer(data);
                return Aml.buffer(data);
            }
            default -> {
                int count = random.nextInt(8);
                List<Object> elements = new ArrayList<>();
                byte[][] enc = new byte[count][];
                for (int i = 0; i < count; i++) {
                    Object[] e = new Object[1];
                    enc[i] = value(random, depth + 1, e);
                    elements.add(e[0]);
                }
                out[0] = elements;
                return Aml.pkg(enc);
            }
        }
    }
}
