package dev.jvmm.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GpaRange;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PciConfigSpaceTest {
    static final PciIdentity NIC = new PciIdentity(0x8086, 0x10d3, 0x01, 0x02_00_00, 0x8086, 0xa01f);

    PciConfigSpace config = PciConfigSpace.type0(NIC, PciConfigSpace.CONVENTIONAL_SIZE);

    @Test
    void headerCarriesTheIdentityAndIsReadOnly() {
        assertEquals(0x10d3_8086, config.read(0x00, 4));
        assertEquals(0x0200_0001, config.read(0x08, 4), "class 02:00:00, revision 1");
        assertEquals(0xa01f_8086, config.read(0x2c, 4));
        for (int offset : new int[] {0x00, 0x08, 0x2c, 0x0e, 0x34, 0x3d}) {
            int before = config.read(offset, 4);
            config.write(offset, 4, ~before);
            assertEquals(before, config.read(offset, 4), String.format("offset 0x%x", offset));
        }
    }

    @Test
    void commandCacheLineAndInterruptLineAreWritable() {
        config.write(0x04, 2, 0xffff);
        assertEquals(0x0547, config.read(0x04, 2), "IO, MEM, MASTER, PARITY, SERR, INTX_DISABLE");
        config.write(0x0c, 1, 0x10);
        config.write(0x3c, 1, 0x0b);
        assertEquals(0x10, config.read(0x0c, 1));
        assertEquals(0x0b, config.read(0x3c, 1));
        config.write(0x0d, 1, 0xff);
        assertEquals(0, config.read(0x0d, 1), "latency timer hardwired to 0");
    }

    @Test
    void statusErrorBitsClearOnlyWhereOneIsWritten() {
        config.set(0x06, 2, 0xf910 | 0x0008); // all error bits, CapList, Interrupt
        config.write(0x06, 2, 0x2000); // clear Received Master Abort only
        assertEquals(0xd918, config.read(0x06, 2));
        config.write(0x06, 2, 0xffff);
        assertEquals(0x0018, config.read(0x06, 2), "read-only CapList and Interrupt Status stay");
        config.set(0x06, 2, 0x2018);
        config.write(0x04, 4, 0xffff_0000); // a dword write at Command reaches Status too
        assertEquals(0x0018_0000, config.read(0x04, 4));
    }

    @Test
    void outOfRangeAndOddSizedGuestAccessesAreHarmless() {
        assertEquals(0xffff_0000, config.read(0xfe, 4), "bytes past 0xff read 0xff");
        assertEquals(-1, config.read(0x100, 4), "a conventional function has no extended space");
        assertEquals(-1, config.read(0, 8));
        assertEquals(0x8086_ffff, config.read(-2, 4));
        config.write(0xff, 4, 0);
        config.write(-1, 2, 0);
        config.write(0x04, 0, 0xffff);
        config.write(0x04, 5, 0xffff);
        assertEquals(0, config.read(0x04, 2));
        assertThrows(IllegalArgumentException.class, () -> config.set(0xfe, 4, 0), "host errors throw");
        assertThrows(IllegalArgumentException.class, () -> new PciConfigSpace(512));
    }

    @Test
    void barsAnswerTheSizingProtocolWithTheirTypeBits() {
        config.addBar(0, PciBarType.MEMORY32, 0x1000, false);
        config.addBar(1, PciBarType.IO, 0x20, false);
        config.addBar(2, PciBarType.MEMORY64, 1L << 33, true);
        config.addBar(5, PciBarType.MEMORY32, 0x10, true);
        assertEquals(0x0000_0000, config.read(0x10, 4));
        assertEquals(0x0000_0001, config.read(0x14, 4));
        assertEquals(0x0000_000c, config.read(0x18, 4));
        assertEquals(0x0000_0008, config.read(0x24, 4));
        for (int reg = 0x10; reg < 0x28; reg += 4) {
            config.write(reg, 4, 0xffff_ffff);
        }
        assertEquals(0xffff_f000, config.read(0x10, 4));
        assertEquals(0xffff_ffe1, config.read(0x14, 4));
        assertEquals(0x0000_000c, config.read(0x18, 4), "8 GiB: no writable bits in the low dword");
        assertEquals(0xffff_fffe, config.read(0x1c, 4), "8 GiB: bit 33 and up in the high dword");
        assertEquals(0xffff_fff8, config.read(0x24, 4));
        assertEquals(0, config.read(0x20, 4), "unused BAR4 stays 0");
    }

    @Test
    void guestAddressesAreForcedToNaturalAlignment() {
        config.addBar(0, PciBarType.MEMORY32, 0x4000, false);
        config.write(0x10, 4, 0xc000_1234);
        assertEquals(0xc000_0000, config.read(0x10, 4));
        config.write(0x12, 2, 0xd000); // a word write to the upper half
        assertEquals(0xd000_0000, config.read(0x10, 4));
        assertEquals(0xd000_0000L, config.bar(0).orElseThrow().address());
    }

    @Test
    void barDecodesOnlyWhenEnabledAssignedAndInRange() {
        config.addBar(0, PciBarType.MEMORY32, 0x1000, false);
        config.addBar(1, PciBarType.IO, 0x100, false);
        config.addBar(2, PciBarType.MEMORY64, 0x10_0000, false);
        config.write(0x04, 2, 0x0003);
        assertEquals(OptionalLong.empty(), config.bar(0).orElseThrow().decoding(), "enabled but unassigned (0)");
        assertEquals(OptionalLong.empty(), config.bar(1).orElseThrow().decoding(), "enabled but unassigned (0)");
        config.write(0x04, 2, 0x0000);
        config.setBarAddress(0, 0xc000_0000L);
        config.setBarAddress(1, 0xc100);
        config.setBarAddress(2, 0x10_0000_0000L);
        assertEquals(OptionalLong.empty(), config.bar(0).orElseThrow().decoding(), "MEM disabled");
        config.write(0x04, 2, 0x0002);
        assertEquals(OptionalLong.of(0xc000_0000L), config.bar(0).orElseThrow().decoding());
        assertEquals(OptionalLong.of(0x10_0000_0000L), config.bar(2).orElseThrow().decoding());
        assertEquals(OptionalLong.empty(), config.bar(1).orElseThrow().decoding(), "IO disabled");
        config.write(0x04, 2, 0x0003);
        assertEquals(OptionalLong.of(0xc100), config.bar(1).orElseThrow().decoding());
        config.write(0x10, 4, 0xffff_ffff);
        assertEquals(OptionalLong.empty(), config.bar(0).orElseThrow().decoding(), "the sizing pattern does not decode");
        config.write(0x14, 4, 0x0001_0000);
        assertEquals(OptionalLong.empty(), config.bar(1).orElseThrow().decoding(), "I/O past 0xffff");
    }

    @Test
    void barRegistrationRefusesImpossibleBars() {
        assertThrows(IllegalArgumentException.class, () -> config.addBar(5, PciBarType.MEMORY64, 0x1000, false));
        assertThrows(IllegalArgumentException.class, () -> config.addBar(0, PciBarType.MEMORY32, 0x1800, false));
        assertThrows(IllegalArgumentException.class, () -> config.addBar(0, PciBarType.IO, 0x200, false));
        assertThrows(IllegalArgumentException.class, () -> config.addBar(0, PciBarType.MEMORY32, 8, false));
        assertThrows(IllegalArgumentException.class, () -> config.addBar(0, PciBarType.MEMORY32, 1L << 32, false));
        config.addBar(0, PciBarType.MEMORY64, 0x1000, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config.addBar(1, PciBarType.IO, 0x10, false));
        assertTrue(e.getMessage().contains("register 1 already holds a BAR"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> config.setBarAddress(0, 0x1800));
        assertThrows(IllegalArgumentException.class, () -> config.setBarAddress(3, 0x1000));
        config.addBar(2, PciBarType.MEMORY32, 0x1000, false);
        assertThrows(IllegalArgumentException.class, () -> config.setBarAddress(2, 0xffff_f000L + 0x1000));
    }

    @Test
    void assignBarsTakesEveryAddressFromTheAllocatorOrNone() {
        config.addBar(0, PciBarType.MEMORY32, 0x1000, false);
        config.addBar(1, PciBarType.IO, 0x100, false);
        config.addBar(2, PciBarType.MEMORY64, 1L << 30, true);
        PciBarAllocator roomy = new PciBarAllocator(GpaRange.of(Gpa.of(0xc000_0000L), 1L << 29),
                GpaRange.of(Gpa.of(1L << 36), 1L << 31), 0xc000, 0x4000);
        config.assignBars(roomy);
        assertEquals(List.of(0xc000_0000L, 0xc000L, 1L << 36), config.bars().stream().map(PciBar::address).toList());
        assertEquals(0x0000_000c, config.read(0x18, 4) & 0xf, "type bits kept");

        PciConfigSpace other = PciConfigSpace.type0(NIC, PciConfigSpace.CONVENTIONAL_SIZE);
        other.addBar(0, PciBarType.MEMORY32, 0x1000, false);
        other.addBar(2, PciBarType.MEMORY64, 1L << 31, false);
        PciBarAllocator tight = new PciBarAllocator(GpaRange.of(Gpa.of(0xc000_0000L), 1L << 29),
                GpaRange.of(Gpa.of(1L << 36), 1L << 30), 0xc000, 0x4000);
        assertThrows(BarAllocationException.class, () -> other.assignBars(tight));
        assertEquals(List.of(0L, 0L), other.bars().stream().map(PciBar::address).toList(), "none assigned");
        assertEquals(0xc000_0000L, tight.allocate(PciBarType.MEMORY32, 0x1000), "BAR0's range was given back");
    }

    @Test
    void capabilitiesFormALinkedList() {
        int pm = config.addCapability(PciRegisters.CAP_ID_PM, new byte[6]);
        int msi = config.addCapability(PciRegisters.CAP_ID_MSI, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13});
        int vendor = config.addCapability(PciRegisters.CAP_ID_VNDR, new byte[] {3});
        assertEquals(0x40, pm);
        assertEquals(0x48, msi);
        assertEquals(0x58, vendor, "0x48 + 15 bytes, rounded up to a dword");
        assertEquals(0x10, config.read(0x06, 2) & 0x10, "Status.CapList");
        // Walk it as Linux's pci_find_capability does.
        int pos = config.read(0x34, 1);
        StringBuilder ids = new StringBuilder();
        while (pos != 0) {
            ids.append(String.format("%02x@%02x ", config.read(pos, 1), pos));
            pos = config.read(pos + 1, 1);
        }
        assertEquals("01@40 05@48 09@58 ", ids.toString());
        assertEquals(0x0403_0201, config.read(msi + 2, 4));
        config.write(msi + 2, 4, 0);
        assertEquals(0x0403_0201, config.read(msi + 2, 4), "bodies are read-only until opened");
        config.setWritable(msi + 2, 2, 0x0001);
        config.write(msi + 2, 2, 0);
        assertEquals(0x0200, config.read(msi + 2, 2));
        assertThrows(IllegalArgumentException.class, () -> config.addCapability(0x10, new byte[0xb0]));
    }

    @Test
    void extendedCapabilitiesChainFrom0x100() {
        PciConfigSpace express = PciConfigSpace.type0(NIC, PciConfigSpace.EXTENDED_SIZE);
        assertEquals(0, express.read(0x100, 4), "an empty extended list");
        int aer = express.addExtendedCapability(0x0001, 2, new byte[0x38 - 4]);
        int dsn = express.addExtendedCapability(0x0003, 1, new byte[8]);
        assertEquals(0x100, aer);
        assertEquals(0x138, dsn);
        assertEquals(0x138 << 20 | 2 << 16 | 0x0001, express.read(0x100, 4));
        assertEquals(1 << 16 | 0x0003, express.read(0x138, 4));
        assertThrows(IllegalArgumentException.class, () -> config.addExtendedCapability(1, 1, new byte[4]));
    }
}
