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
 * What a guest's ACPI code sees in the BIOS area, decoded independently of the encoder: the RSDP found
 * by scanning 16-byte boundaries as Linux does, then every table reached from the XSDT, and the FACS and
 * DSDT reached from the FADT. Every structure's checksum and length is asserted on the way.
 */
final class AcpiTableReader {
    static final long AREA_BASE = 0xe0000;
    static final int AREA_SIZE = 0x20000;

    /** One table: its address and its bytes (exactly its length). */
    record Table(String signature, long address, byte[] bytes) {
        int u8(int off) {
            return AcpiTableReader.u8(bytes, off);
        }

        int u16(int off) {
            return AcpiTableReader.u16(bytes, off);
        }

        long u32(int off) {
            return AcpiTableReader.u32(bytes, off);
        }

        long u64(int off) {
            return AcpiTableReader.u64(bytes, off);
        }

        String ascii(int off, int len) {
            return new String(bytes, off, len, StandardCharsets.US_ASCII);
        }

        int revision() {
            return u8(8);
        }
    }

    record Rsdp(long address, int revision, String oemId, long rsdt, long xsdt, int length) {
    }

    final byte[] area;
    final Rsdp rsdp;
    final List<Long> xsdtEntries;
    final List<Long> rsdtEntries;
    /** By signature, in XSDT order, then FACS and DSDT. */
    final Map<String, Table> tables = new LinkedHashMap<>();

    AcpiTableReader(byte[] area) {
        assertEquals(AREA_SIZE, area.length, "the whole BIOS area");
        this.area = area;
        this.rsdp = findRsdp(area);
        Table xsdt = table(rsdp.xsdt(), "XSDT");
        Table rsdt = table(rsdp.rsdt(), "RSDT");
        xsdtEntries = new ArrayList<>();
        for (int off = 36; off < xsdt.bytes().length; off += 8) {
            xsdtEntries.add(xsdt.u64(off));
        }
        assertEquals(0, (xsdt.bytes().length - 36) % 8, "XSDT holds whole 64-bit entries");
        rsdtEntries = new ArrayList<>();
        for (int off = 36; off < rsdt.bytes().length; off += 4) {
            rsdtEntries.add(rsdt.u32(off));
        }
        assertEquals(0, (rsdt.bytes().length - 36) % 4, "RSDT holds whole 32-bit entries");
        tables.put("XSDT", xsdt);
        tables.put("RSDT", rsdt);
        for (long address : xsdtEntries) {
            Table t = table(address, null);
            assertTrue(tables.put(t.signature(), t) == null, "one " + t.signature() + " only");
        }
        Table fadt = tables.get("FACP");
        if (fadt != null) {
            long facs = fadt.u64(132) != 0 ? fadt.u64(132) : fadt.u32(36);
            tables.put("FACS", facs(facs));
            long dsdt = fadt.u64(140) != 0 ? fadt.u64(140) : fadt.u32(40);
            tables.put("DSDT", table(dsdt, "DSDT"));
        }
    }

    Table get(String signature) {
        Table t = tables.get(signature);
        assertTrue(t != null, "no " + signature + " among " + tables.keySet());
        return t;
    }

    /** Scans [0xe0000, 1 MiB) on 16-byte boundaries for a valid RSDP, as Linux's acpi_find_root_pointer. */
    static Rsdp findRsdp(byte[] area) {
        Rsdp found = null;
        for (int off = 0; off + 20 <= area.length; off += 16) {
            if (!"RSD PTR ".equals(new String(area, off, 8, StandardCharsets.US_ASCII))) {
                continue;
            }
            assertEquals(0, sum(area, off, 20), "RSDP checksum over the ACPI 1.0 part (20 bytes)");
            int revision = u8(area, off + 15);
            assertTrue(revision >= 2, "ACPI 2.0+ RSDP, revision " + revision);
            int length = (int) u32(area, off + 20);
            assertEquals(36, length, "RSDP length");
            assertEquals(0, sum(area, off, length), "RSDP extended checksum over 36 bytes");
            assertTrue(found == null, "exactly one RSDP in the BIOS area");
            found = new Rsdp(AREA_BASE + off, revision, new String(area, off + 9, 6, StandardCharsets.US_ASCII),
                    u32(area, off + 16), u64(area, off + 24), length);
        }
        assertTrue(found != null, "no \"RSD PTR \" with a valid checksum on a 16-byte boundary in [0xe0000, 1 MiB)");
        return found;
    }

    /** The table at {@code address}: inside the area, length from its header, bytes summing to zero. */
    Table table(long address, String expected) {
        int off = offset(address, 36);
        String sig = new String(area, off, 4, StandardCharsets.US_ASCII);
        if (expected != null) {
            assertEquals(expected, sig, "signature at 0x" + Long.toHexString(address));
        }
        int length = (int) u32(area, off + 4);
        assertTrue(length >= 36, sig + " length " + length + " shorter than its header");
        offset(address, length);
        assertEquals(0, sum(area, off, length), sig + " checksum: its bytes must sum to 0 mod 256");
        assertEquals(0, address % 16, sig + " at 0x" + Long.toHexString(address) + " is not 16-byte aligned");
        return new Table(sig, address, Arrays.copyOfRange(area, off, off + length));
    }

    private Table facs(long address) {
        int off = offset(address, 64);
        assertEquals("FACS", new String(area, off, 4, StandardCharsets.US_ASCII));
        assertEquals(64, u32(area, off + 4), "FACS length");
        assertEquals(0, address % 64, "FACS must be 64-byte aligned");
        return new Table("FACS", address, Arrays.copyOfRange(area, off, off + 64));
    }

    private int offset(long address, int length) {
        assertTrue(address >= AREA_BASE && address + length <= AREA_BASE + AREA_SIZE,
                String.format("0x%x + %d lies outside the BIOS area [0xe0000, 0x100000)", address, length));
        return (int) (address - AREA_BASE);
    }

    static int sum(byte[] b, int off, int len) {
        int s = 0;
        for (int i = off; i < off + len; i++) {
            s += b[i];
        }
        return s & 0xff;
    }

    static int u8(byte[] b, int off) {
        return b[off] & 0xff;
    }

    static int u16(byte[] b, int off) {
        return u8(b, off) | u8(b, off + 1) << 8;
    }

    static long u32(byte[] b, int off) {
        return (u16(b, off) | (long) u16(b, off + 2) << 16) & 0xffff_ffffL;
    }

    static long u64(byte[] b, int off) {
        return u32(b, off) | u32(b, off + 4) << 32;
    }
}
