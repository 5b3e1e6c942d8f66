package dev.jvmm.kvm.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The section-table parser refuses what it cannot read instead of reading past the end. */
class ElfSectionsTest {

    private static byte[] elf64RelHeader() {
        ByteBuffer h = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0, 0x464C457F).put(4, (byte) 2).put(5, (byte) 1).putShort(16, (short) 1);
        return h.array();
    }

    @Test
    void refusesSomethingThatIsNotElf() {
        var e = assertThrows(IllegalArgumentException.class, () -> ElfSections.parse(new byte[100]));
        assertTrue(e.getMessage().contains("not an ELF file"), e.getMessage());
    }

    @Test
    void refuses32BitElf() {
        byte[] header = elf64RelHeader();
        header[4] = 1;
        var e = assertThrows(IllegalArgumentException.class, () -> ElfSections.parse(header));
        assertTrue(e.getMessage().contains("class 1"), e.getMessage());
    }

    @Test
    void refusesASectionTablePastTheEndOfTheFile() {
        byte[] header = elf64RelHeader();
        ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(0x28, 64).putShort(0x3A, (short) 64).putShort(0x3C, (short) 3).putShort(0x3E, (short) 1);
        var e = assertThrows(IllegalArgumentException.class, () -> ElfSections.parse(header));
        assertTrue(e.getMessage().contains("out of bounds"), e.getMessage());
    }
}
