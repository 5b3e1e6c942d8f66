package dev.jvmm.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.memory.Gpa;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootParamsTest {

    @Test
    void setupHeaderIsCopiedToOx1f1AndNothingElseIsSet() {
        byte[] header = new byte[0x26c - 0x1f1];
        for (int i = 0; i < header.length; i++) {
            header[i] = (byte) (i + 1);
        }
        byte[] page = BootParams.withSetupHeader(header).toBytes();
        assertEquals(BootParams.SIZE, page.length);
        assertArrayEquals(header, Arrays.copyOfRange(page, 0x1f1, 0x26c));
        for (int i = 0; i < page.length; i++) {
            if (i < 0x1f1 || i >= 0x26c) {
                assertEquals(0, page[i], "byte " + Integer.toHexString(i));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> BootParams.withSetupHeader(new byte[0x290 - 0x1f1 + 1]));
    }

    @Test
    void loaderFieldsLandAtTheirOffsetsLittleEndian() {
        BootParams p = BootParams.empty()
                .setTypeOfLoader(0xff)
                .setLoadflags(0x81)
                .setHeapEndPtr(0xde00)
                .setCode32Start(0x10_0000)
                .setCmdLinePtr(Gpa.of(0x2_0000))
                .setRamdisk(Gpa.of(0x7f00_0000L), 0x123_4567);
        byte[] b = p.toBytes();
        assertEquals((byte) 0xff, b[0x210]);
        assertEquals((byte) 0x81, b[0x211]);
        assertEquals(0x00, b[0x224]);
        assertEquals((byte) 0xde, b[0x225]);
        assertArrayEquals(new byte[] {0, 0, 0x10, 0}, Arrays.copyOfRange(b, 0x214, 0x218));
        assertArrayEquals(new byte[] {0, 0, 2, 0}, Arrays.copyOfRange(b, 0x228, 0x22c));
        assertArrayEquals(new byte[] {0, 0, 0, 0x7f}, Arrays.copyOfRange(b, 0x218, 0x21c));
        assertArrayEquals(new byte[] {0x67, 0x45, 0x23, 0x01}, Arrays.copyOfRange(b, 0x21c, 0x220));
        assertArrayEquals(new byte[12], Arrays.copyOfRange(b, 0x0c0, 0x0cc), "no ext_ bits below 4 GiB");

        BootParams back = BootParams.decode(b);
        assertEquals(0xff, back.typeOfLoader());
        assertEquals(0x81, back.loadflags());
        assertEquals(0xde00, back.heapEndPtr());
        assertEquals(Gpa.of(0x2_0000), back.cmdLinePtr());
        assertEquals(Gpa.of(0x7f00_0000L), back.ramdiskImage());
        assertEquals(0x123_4567, back.ramdiskSize());
    }

    @Test
    void addressesAndSizesAbove4GiBSpillIntoTheExtFields() {
        BootParams p = BootParams.empty()
                .setCmdLinePtr(Gpa.of(0x1_2345_6000L))
                .setRamdisk(Gpa.of(0x2_8000_0000L), 0x1_0000_1000L);
        assertEquals(0x2345_6000L, p.u32(BootParams.CMD_LINE_PTR));
        assertEquals(1, p.u32(BootParams.EXT_CMD_LINE_PTR));
        assertEquals(0x8000_0000L, p.u32(BootParams.RAMDISK_IMAGE));
        assertEquals(2, p.u32(BootParams.EXT_RAMDISK_IMAGE));
        assertEquals(0x1000, p.u32(BootParams.RAMDISK_SIZE));
        assertEquals(1, p.u32(BootParams.EXT_RAMDISK_SIZE));
        BootParams back = BootParams.decode(p.toBytes());
        assertEquals(Gpa.of(0x1_2345_6000L), back.cmdLinePtr());
        assertEquals(Gpa.of(0x2_8000_0000L), back.ramdiskImage());
        assertEquals(0x1_0000_1000L, back.ramdiskSize());
        assertThrows(IllegalArgumentException.class, () -> BootParams.empty().setCode32Start(1L << 32));
    }

    @Test
    void e820TableRoundTripsAndHoldsAtMost128Entries() {
        List<E820Entry> entries = List.of(
                new E820Entry(Gpa.of(0), 0x9fc00, E820Type.RAM),
                new E820Entry(Gpa.of(0x9fc00), 0x60400, E820Type.RESERVED),
                new E820Entry(Gpa.of(0x1_0000_0000L), 0x4000_0000L, E820Type.RAM));
        BootParams p = BootParams.empty().setE820(entries);
        byte[] b = p.toBytes();
        assertEquals(3, b[0x1e8]);
        // second entry: addr 0x9fc00, size 0x60400, type 2 at 0x2d0 + 20
        assertEquals(0x9fc00, p.u64(0x2d0 + 20));
        assertEquals(0x60400, p.u64(0x2d0 + 28));
        assertEquals(2, p.u32(0x2d0 + 36));
        assertEquals(entries, BootParams.decode(b).e820());

        List<E820Entry> many = new ArrayList<>();
        for (int i = 0; i < 128; i++) {
            many.add(new E820Entry(Gpa.of(i * 0x1000L), 0x1000, E820Type.RAM));
        }
        assertEquals(many, BootParams.decode(BootParams.empty().setE820(many).toBytes()).e820());
        many.add(new E820Entry(Gpa.of(0x80000), 0x1000, E820Type.RAM));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BootParams.empty().setE820(many));
        assertTrue(e.getMessage().contains("129 e820 entries do not fit"), e.getMessage());

        // a shorter table replaces a longer one entirely
        byte[] shorter = BootParams.empty().setE820(many.subList(0, 100)).setE820(entries).toBytes();
        assertEquals(entries, BootParams.decode(shorter).e820());
        assertArrayEquals(new byte[125 * 20], Arrays.copyOfRange(shorter, 0x2d0 + 3 * 20, 0x2d0 + 128 * 20));
    }

    @Test
    void decodeRefusesAPageOfTheWrongSize() {
        assertThrows(IllegalArgumentException.class, () -> BootParams.decode(new byte[4095]));
    }

    @Test
    void acpiRsdpAddrIsA64BitFieldAt0x070() {
        byte[] b = BootParams.empty().setAcpiRsdpAddr(Gpa.of(0x1_2345_6789L)).toBytes();
        assertArrayEquals(new byte[] {(byte) 0x89, 0x67, 0x45, 0x23, 1, 0, 0, 0}, Arrays.copyOfRange(b, 0x70, 0x78));
        for (int i = 0; i < b.length; i++) {
            if (i < 0x70 || i >= 0x78) {
                assertEquals(0, b[i], "byte " + Integer.toHexString(i));
            }
        }
        assertEquals(Gpa.of(0x1_2345_6789L), BootParams.decode(b).acpiRsdpAddr());
        assertEquals(Gpa.of(0), BootParams.empty().acpiRsdpAddr(), "0 means not given");
    }
}
