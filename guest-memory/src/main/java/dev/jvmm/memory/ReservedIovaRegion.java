package dev.jvmm.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An IOVA range the host IOMMU will not let VFIO map guest RAM into, and why.
 *
 * <p>Two sources describe them: the IOMMU group's {@code reserved_regions} file in sysfs
 * ({@link #parseSysfs}), and the complement of the valid ranges that VFIO's IOVA-range capability
 * reports for a container ({@link #outsideValidRanges}). The capability is authoritative for a
 * container (it merges every group attached), the sysfs file says what each reservation is for.
 */
public record ReservedIovaRegion(IovaRange range, ReservedRegionType type) {

    public ReservedIovaRegion {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(type, "type");
    }

    /**
     * Parses the content of {@code /sys/kernel/iommu_groups/N/reserved_regions}, lines such as
     * {@code 0x00000000fee00000 0x00000000feefffff msi}. Blank lines are skipped.
     *
     * @throws ReservedRegionsFormatException naming the line that does not parse
     */
    public static List<ReservedIovaRegion> parseSysfs(String content) {
        List<ReservedIovaRegion> regions = new ArrayList<>();
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.isEmpty()) {
                regions.add(parseLine(i + 1, line));
            }
        }
        return List.copyOf(regions);
    }

    private static ReservedIovaRegion parseLine(int lineNumber, String line) {
        String[] fields = line.split("\\s+");
        if (fields.length != 3) {
            throw new ReservedRegionsFormatException(lineNumber, line,
                    "has " + fields.length + " fields, not 3");
        }
        long first = parseHex(lineNumber, line, fields[0]);
        long last = parseHex(lineNumber, line, fields[1]);
        if (Long.compareUnsigned(first, last) > 0) {
            throw new ReservedRegionsFormatException(lineNumber, line, "start lies above end");
        }
        if (first == 0 && last == -1L) {
            throw new ReservedRegionsFormatException(lineNumber, line, "a region covering the whole 64-bit "
                    + "space leaves nothing to map");
        }
        ReservedRegionType type = ReservedRegionType.fromSysfs(fields[2]).orElseThrow(() ->
                new ReservedRegionsFormatException(lineNumber, line, "unknown type \"" + fields[2]
                        + "\" (known: direct, direct-relaxable, reserved, msi, sw-msi)"));
        return new ReservedIovaRegion(IovaRange.ofInclusive(Iova.of(first), Iova.of(last)), type);
    }

    private static long parseHex(int lineNumber, String line, String field) {
        if (!field.startsWith("0x") || field.length() == 2) {
            throw new ReservedRegionsFormatException(lineNumber, line, "\"" + field + "\" is not 0x<hex>");
        }
        try {
            return Long.parseUnsignedLong(field.substring(2), 16);
        } catch (NumberFormatException e) {
            throw new ReservedRegionsFormatException(lineNumber, line,
                    "\"" + field + "\" is not a 64-bit hex number");
        }
    }

    /**
     * The IOVAs not covered by any of {@code valid} (the list VFIO's IOVA-range capability gives), as
     * regions of type {@link ReservedRegionType#OUTSIDE_VALID_RANGES}, sorted. Overlapping or unsorted
     * valid ranges are accepted.
     *
     * @throws IllegalArgumentException if {@code valid} is empty: then nothing at all can be mapped
     */
    public static List<ReservedIovaRegion> outsideValidRanges(List<ValidIovaRange> valid) {
        if (valid.isEmpty()) {
            throw new IllegalArgumentException("VFIO reported no valid IOVA ranges, so no guest RAM can be "
                    + "DMA-mapped; pass the ranges from VFIO_IOMMU_GET_INFO's IOVA-range capability, or "
                    + "skip this check when the kernel does not report the capability");
        }
        List<ValidIovaRange> sorted = valid.stream().sorted(Comparator.comparing(ValidIovaRange::first)).toList();
        List<ReservedIovaRegion> gaps = new ArrayList<>();
        long next = 0;           // lowest IOVA not yet known to be valid
        boolean reachedTop = false;
        for (ValidIovaRange range : sorted) {
            long first = range.first().value();
            long last = range.last().value();
            if (Long.compareUnsigned(first, next) > 0) {
                gaps.add(outside(next, first - 1));
            }
            if (Long.compareUnsigned(last, next) >= 0) {
                if (last == -1L) {
                    reachedTop = true;
                    break;
                }
                next = last + 1;
            }
        }
        if (!reachedTop) {
            gaps.add(outside(next, -1L));
        }
        return List.copyOf(gaps);
    }

    private static ReservedIovaRegion outside(long first, long last) {
        return new ReservedIovaRegion(IovaRange.ofInclusive(Iova.of(first), Iova.of(last)),
                ReservedRegionType.OUTSIDE_VALID_RANGES);
    }

    @Override
    public String toString() {
        return type.sysfsName() + " " + range;
    }
}
