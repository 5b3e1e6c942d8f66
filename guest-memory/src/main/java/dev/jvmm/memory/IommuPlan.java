package dev.jvmm.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The VFIO DMA mappings that make guest RAM visible to assigned devices at IOVA = GPA, checked against
 * what the host IOMMU reserves before any mapping is made.
 *
 * <p>Identity mapping lets the guest program its devices with guest-physical addresses, as it would on
 * bare metal. The price is that RAM must stay out of every reserved IOVA range that blocks DMA
 * ({@link ReservedRegionType#blocksDma()}); when it does not, {@link #identity} fails with a
 * {@link ReservedIovaOverlapException} instead of letting {@code VFIO_IOMMU_MAP_DMA} fail halfway.
 */
public final class IommuPlan {

    /** The smallest page any IOMMU maps; every mapping starts and ends on it. */
    public static final long IOMMU_PAGE = 4096;

    private final List<DmaMapping> mappings;

    private IommuPlan(List<DmaMapping> mappings) {
        this.mappings = mappings;
    }

    /** The plan for {@code layout}'s RAM regions. */
    public static IommuPlan identity(GuestLayout layout, List<ReservedIovaRegion> reserved) {
        return identity(layout.ramRegions(), reserved);
    }

    /**
     * One mapping per RAM region, IOVA = GPA.
     *
     * @param ram      sorted, disjoint, 4 KiB-aligned RAM regions
     * @param reserved reserved IOVA regions from {@link ReservedIovaRegion#parseSysfs} and/or
     *                 {@link ReservedIovaRegion#outsideValidRanges}, in any order
     * @throws ReservedIovaOverlapException for the lowest RAM region and, within it, the lowest
     *                                      blocking reservation it overlaps
     */
    public static IommuPlan identity(List<GpaRange> ram, List<ReservedIovaRegion> reserved) {
        checkRam(ram);
        List<ReservedIovaRegion> blocking = reserved.stream()
                .filter(r -> r.type().blocksDma())
                .sorted((a, b) -> a.range().start().compareTo(b.range().start()))
                .toList();
        List<DmaMapping> mappings = new ArrayList<>(ram.size());
        for (GpaRange region : ram) {
            IovaRange iova = IovaRange.of(Iova.of(region.start().value()), region.length());
            for (ReservedIovaRegion r : blocking) {
                if (iova.overlaps(r.range())) {
                    throw new ReservedIovaOverlapException(region, r, ramBelow(ram, r.range().start()));
                }
            }
            mappings.add(new DmaMapping(iova.start(), region));
        }
        return new IommuPlan(List.copyOf(mappings));
    }

    /** The mappings to issue, sorted by IOVA; together they cover the RAM exactly. */
    public List<DmaMapping> mappings() {
        return mappings;
    }

    /** Bytes of RAM below {@code limit}, rounded down to {@link #IOMMU_PAGE}. */
    private static long ramBelow(List<GpaRange> ram, Iova limit) {
        long bytes = 0;
        for (GpaRange region : ram) {
            if (region.start().isBelow(Gpa.of(limit.value()))) {
                long end = RangeMath.min(region.last().value(), limit.value() - 1);
                bytes += end - region.start().value() + 1;
            }
        }
        return bytes & -IOMMU_PAGE;
    }

    private static void checkRam(List<GpaRange> ram) {
        Objects.requireNonNull(ram, "ram");
        if (ram.isEmpty()) {
            throw new IllegalArgumentException("no RAM regions to map: pass the guest layout's ramRegions()");
        }
        GpaRange previous = null;
        for (GpaRange region : ram) {
            if (!region.start().isAligned(IOMMU_PAGE) || (region.length() & (IOMMU_PAGE - 1)) != 0) {
                throw new IllegalArgumentException("RAM region " + region + " is not 4 KiB-aligned; the IOMMU"
                        + " maps whole pages: pass page-aligned regions such as GuestLayout.ramRegions()");
            }
            if (previous != null && !previous.last().isBelow(region.start())) {
                throw new IllegalArgumentException("RAM regions " + previous + " and " + region
                        + " are unsorted or overlap: pass them sorted by address and disjoint");
            }
            previous = region;
        }
    }

    @Override
    public String toString() {
        return "IommuPlan" + mappings;
    }
}
