package dev.jvmm.memory;

import static dev.jvmm.memory.GuestLayout.GIB;
import static dev.jvmm.memory.GuestLayout.KIB;
import static dev.jvmm.memory.GuestLayout.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GuestLayoutTest {

    @Test
    void smallGuestHasOnlyLowRam() {
        GuestLayout layout = GuestLayout.x86(512 * MIB);
        assertEquals(List.of(GpaRange.of(Gpa.of(0), 512 * MIB)), layout.ramRegions());
        assertEquals(512 * MIB, layout.totalRam());
        assertEquals(GpaRange.of(Gpa.of(4 * GIB), 64 * GIB), layout.mmio64Window());
        assertEquals(GpaRange.of(Gpa.of(0xc000_0000L), GIB), layout.pciHole());
    }

    @Test
    void exactlyThreeGibFillsLowRam() {
        GuestLayout layout = GuestLayout.x86(3 * GIB);
        assertEquals(List.of(GpaRange.of(Gpa.of(0), 3 * GIB)), layout.ramRegions());
        assertEquals(Gpa.of(4 * GIB), layout.mmio64Window().start());
    }

    @Test
    void ramAboveThreeGibContinuesAtFourGib() {
        GuestLayout layout = GuestLayout.x86(8 * GIB);
        assertEquals(List.of(GpaRange.of(Gpa.of(0), 3 * GIB), GpaRange.of(Gpa.of(4 * GIB), 5 * GIB)),
                layout.ramRegions());
        assertEquals(GpaRange.of(Gpa.of(9 * GIB), 64 * GIB), layout.mmio64Window());
        assertFalse(layout.isRam(Gpa.of(0xfee0_0000L)));
        assertTrue(layout.isRam(Gpa.of(4 * GIB)));
        assertFalse(layout.isRam(Gpa.of(9 * GIB)));
    }

    @Test
    void mmio64WindowStartsOnTheNextGibBoundary() {
        GuestLayout layout = GuestLayout.x86(4 * GIB + 4 * KIB);
        assertEquals(GpaRange.of(Gpa.of(4 * GIB), GIB + 4 * KIB), layout.ramRegions().get(1));
        assertEquals(Gpa.of(6 * GIB), layout.mmio64Window().start());
    }

    @Test
    void fixedWindowsTileThePciHole() {
        GuestLayout layout = GuestLayout.x86(GIB);
        assertEquals(layout.pciHole().start(), layout.mmio32Window().start());
        assertEquals(layout.mmio32Window().end(), layout.ecamWindow().start());
        assertEquals(layout.ecamWindow().end(), layout.platformWindow().start());
        assertEquals(layout.pciHole().end(), layout.platformWindow().end());
        assertEquals(256 * MIB, layout.ecamWindow().length(), "256 buses of 32 devices x 8 functions x 4 KiB");
        for (GpaRange fixed : List.of(GuestLayout.IOAPIC, GuestLayout.LAPIC, GuestLayout.MSI_WINDOW)) {
            assertTrue(layout.platformWindow().contains(fixed), fixed + " in the platform window");
            assertFalse(layout.mmio32Window().overlaps(fixed));
        }
        assertEquals(Gpa.of(0xfee0_0000L), GuestLayout.MSI_WINDOW.start());
        assertEquals(Gpa.of(0xfeef_ffffL), GuestLayout.MSI_WINDOW.last());
    }

    @Test
    void hugePagesRequireWholePages() {
        GuestLayout layout = GuestLayout.x86(6 * GIB, 2 * MIB, 64 * GIB, 46);
        assertEquals(2 * MIB, layout.pageSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GuestLayout.x86(GIB + 4 * KIB, 2 * MIB, 64 * GIB, 46));
        assertTrue(e.getMessage().contains("not a multiple of the 2 MiB page size: pass 1 GiB (1073741824 bytes)"
                + " or 1026 MiB (1075838976 bytes)"), e.getMessage());
        assertTrue(GuestLayout.x86(3 * GIB, GIB, 64 * GIB, 46).ramRegions().size() == 1);
    }

    @Test
    void rejectsBadSizesSayingWhatToPass() {
        assertMessage("pass at least 1 MiB", () -> GuestLayout.x86(0));
        assertMessage("pass at least 1 MiB", () -> GuestLayout.x86(-GIB));
        assertMessage("pass at least 1 MiB", () -> GuestLayout.x86(512 * KIB));
        assertMessage("2 MiB page size: pass 2 MiB (2097152 bytes)", () -> GuestLayout.x86(MIB, 2 * MIB, 64 * GIB, 46));
        assertMessage("pass at least 2 MiB", () -> GuestLayout.x86(0, 2 * MIB, 64 * GIB, 46));
        assertMessage("pass 1 GiB (1073741824 bytes) or 1048580 KiB (1073745920 bytes)",
                () -> GuestLayout.x86(GIB + 1));
        assertMessage("pass 4 KiB (4096), 2 MiB (2097152) or 1 GiB", () -> GuestLayout.x86(GIB, 8192, 64 * GIB, 46));
        assertMessage("pass 36 to 52", () -> GuestLayout.x86(GIB, 4096, 64 * GIB, 53));
        assertMessage("pass 36 to 52", () -> GuestLayout.x86(GIB, 4096, 64 * GIB, 35));
        assertMessage("pass e.g. 64 GiB", () -> GuestLayout.x86(GIB, 4096, GIB + 4096, 46));
        assertMessage("pass e.g. 64 GiB", () -> GuestLayout.x86(GIB, 4096, 0, 46));
    }

    @Test
    void addressLimitNamesTheLargestRamThatFits() {
        int bits = 40;
        long maxRam = (1L << bits) - 64 * GIB - GIB;
        GuestLayout fits = GuestLayout.x86(maxRam, 4096, 64 * GIB, bits);
        assertEquals(1L << bits, fits.mmio64Window().end().value());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GuestLayout.x86(maxRam + 4096, 4096, 64 * GIB, bits));
        assertTrue(e.getMessage().contains("pass at most " + AddressMath.size(maxRam) + " of RAM"), e.getMessage());
        assertTrue(e.getMessage().contains("2^40"), e.getMessage());
    }

    @Test
    void windowTooLargeForTheAddressWidthAsksForASmallerWindow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GuestLayout.x86(GIB, 4096, 64 * GIB, 36));
        assertFalse(e.getMessage().contains("of RAM,"), "no RAM size helps: " + e.getMessage());
        assertTrue(e.getMessage().contains("a smaller 64-bit MMIO window"), e.getMessage());
        assertEquals(60 * GIB, GuestLayout.x86(GIB, 4096, 60 * GIB, 36).mmio64Window().length());
    }

    private static void assertMessage(String expected, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(expected), "\"" + e.getMessage() + "\" lacks \"" + expected + "\"");
    }
}
