package dev.jvmm.memory;

import static dev.jvmm.memory.GuestLayout.GIB;
import static dev.jvmm.memory.GuestLayout.KIB;
import static dev.jvmm.memory.GuestLayout.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IommuPlanTest {

    private static final String INTEL_MSI = "0x00000000fee00000 0x00000000feefffff msi\n";
    private static final String AMD = INTEL_MSI + "0x000000fd00000000 0x000000ffffffffff reserved\n";

    @Test
    void x86MsiWindowNeverMeetsTheDefaultLayout() {
        List<ReservedIovaRegion> msi = ReservedIovaRegion.parseSysfs(INTEL_MSI);
        for (long ram : new long[] {MIB, 2 * GIB, 3 * GIB - 4 * KIB, 3 * GIB, 3 * GIB + 4 * KIB, 4 * GIB,
                64 * GIB, 1L << 40}) {
            GuestLayout layout = GuestLayout.x86(ram);
            IommuPlan plan = IommuPlan.identity(layout, msi);
            assertEquals(layout.ramRegions(), plan.mappings().stream().map(DmaMapping::gpa).toList());
            plan.mappings().forEach(m -> {
                assertEquals(m.gpa().start().value(), m.iova().value(), "IOVA = GPA");
                assertTrue(!m.iovaRange().overlaps(msi.getFirst().range()));
            });
        }
    }

    @Test
    void amdHyperTransportHoleLimitsRamAndTheAdviceFits() {
        List<ReservedIovaRegion> amd = ReservedIovaRegion.parseSysfs(AMD);
        GuestLayout tooBig = GuestLayout.x86(1L << 40);
        ReservedIovaOverlapException e = assertThrows(ReservedIovaOverlapException.class,
                () -> IommuPlan.identity(tooBig, amd));
        assertEquals(tooBig.ramRegions().get(1), e.ram());
        assertEquals(ReservedRegionType.RESERVED, e.reserved().type());
        long expected = 3 * GIB + (0xfd_0000_0000L - 4 * GIB);
        assertEquals(expected, e.maxRamBytes());
        assertTrue(e.getMessage().contains("GpaRange[0x100000000..0x1003fffffff, 1021 GiB]"), e.getMessage());
        assertTrue(e.getMessage().contains("IovaRange[0xfd00000000..0xffffffffff, 12 GiB]"), e.getMessage());
        assertTrue(e.getMessage().contains("(reserved)"), e.getMessage());
        assertTrue(e.getMessage().contains("give the guest at most 1011 GiB of RAM"), e.getMessage());

        assertEquals(2, IommuPlan.identity(GuestLayout.x86(expected), amd).mappings().size());
        assertThrows(ReservedIovaOverlapException.class,
                () -> IommuPlan.identity(GuestLayout.x86(expected + 4 * KIB), amd));
    }

    @Test
    void armSoftwareMsiWindowInLowRamSaysItBelongsInThePciHole() {
        List<ReservedIovaRegion> arm = ReservedIovaRegion.parseSysfs("0x0000000008000000 0x00000000080fffff msi\n");
        ReservedIovaOverlapException e = assertThrows(ReservedIovaOverlapException.class,
                () -> IommuPlan.identity(GuestLayout.x86(GIB), arm));
        assertEquals(128 * MIB, e.maxRamBytes());
        assertTrue(e.getMessage().contains("MSI doorbell window"), e.getMessage());
        assertTrue(e.getMessage().contains("inside the PCI hole GpaRange[0xc0000000..0xffffffff, 1 GiB]"),
                e.getMessage());
        assertTrue(e.getMessage().contains("at most 128 MiB of RAM"), e.getMessage());
    }

    @Test
    void reservationAtZeroCannotBeAvoided() {
        List<ReservedIovaRegion> low = ReservedIovaRegion.parseSysfs("0x0000000000000000 0x0000000000000fff reserved");
        ReservedIovaOverlapException e = assertThrows(ReservedIovaOverlapException.class,
                () -> IommuPlan.identity(GuestLayout.x86(GIB), low));
        assertEquals(0, e.maxRamBytes());
        assertTrue(e.getMessage().contains("no RAM size avoids it"), e.getMessage());
    }

    @Test
    void rmrrBlocksButRelaxableRmrrDoesNot() {
        String rmrr = "0x000000007b800000 0x000000007fffffff ";
        GuestLayout layout = GuestLayout.x86(4 * GIB);
        assertEquals(2, IommuPlan.identity(layout,
                ReservedIovaRegion.parseSysfs(rmrr + "direct-relaxable\n" + INTEL_MSI)).mappings().size());
        ReservedIovaOverlapException e = assertThrows(ReservedIovaOverlapException.class,
                () -> IommuPlan.identity(layout, ReservedIovaRegion.parseSysfs(rmrr + "direct\n" + INTEL_MSI)));
        assertTrue(e.getMessage().contains("RMRR"), e.getMessage());
        assertEquals(0x7b80_0000L, e.maxRamBytes());
    }

    @Test
    void ramBeyondTheIommuAddressWidthIsRefused() {
        // A 39-bit IOMMU: VFIO's valid ranges stop at 2^39 - 1 and skip the MSI window.
        List<ReservedIovaRegion> outside = ReservedIovaRegion.outsideValidRanges(List.of(
                ValidIovaRange.of(0, 0xfedf_ffffL), ValidIovaRange.of(0xfef0_0000L, (1L << 39) - 1)));
        ReservedIovaOverlapException e = assertThrows(ReservedIovaOverlapException.class,
                () -> IommuPlan.identity(GuestLayout.x86(600 * GIB), outside));
        assertEquals(ReservedRegionType.OUTSIDE_VALID_RANGES, e.reserved().type());
        assertEquals(511 * GIB, e.maxRamBytes());
        assertTrue(e.getMessage().contains("cannot translate"), e.getMessage());
        assertEquals(2, IommuPlan.identity(GuestLayout.x86(511 * GIB), outside).mappings().size());
    }

    @Test
    void lowestConflictIsReported() {
        List<ReservedIovaRegion> two = ReservedIovaRegion.parseSysfs(
                "0x0000000200000000 0x0000000200000fff reserved\n0x0000000010000000 0x0000000010000fff reserved\n");
        ReservedIovaOverlapException e = assertThrows(ReservedIovaOverlapException.class,
                () -> IommuPlan.identity(GuestLayout.x86(16 * GIB), two));
        assertEquals(Iova.of(0x1000_0000L), e.reserved().range().start());
    }

    @Test
    void rejectsRamListsThatCannotBeMapped() {
        List<ReservedIovaRegion> none = List.of();
        assertThrows(IllegalArgumentException.class, () -> IommuPlan.identity(List.of(), none));
        IllegalArgumentException unaligned = assertThrows(IllegalArgumentException.class,
                () -> IommuPlan.identity(List.of(GpaRange.of(Gpa.of(0), 0x1800)), none));
        assertTrue(unaligned.getMessage().contains("not 4 KiB-aligned"), unaligned.getMessage());
        IllegalArgumentException unsorted = assertThrows(IllegalArgumentException.class,
                () -> IommuPlan.identity(List.of(GpaRange.of(Gpa.of(0x2000), 0x1000),
                        GpaRange.of(Gpa.of(0), 0x1000)), none));
        assertTrue(unsorted.getMessage().contains("unsorted or overlap"), unsorted.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IommuPlan.identity(List.of(
                GpaRange.of(Gpa.of(0), 0x2000), GpaRange.of(Gpa.of(0x1000), 0x1000)), none));
    }
}
