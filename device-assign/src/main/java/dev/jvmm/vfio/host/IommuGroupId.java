package dev.jvmm.vfio.host;

/**
 * The number of a host IOMMU group: the {@code N} of {@code /sys/kernel/iommu_groups/N} and of its
 * VFIO character device {@code /dev/vfio/N} (or {@code /dev/vfio/noiommu-N}).
 */
public record IommuGroupId(int value) implements Comparable<IommuGroupId> {

    public IommuGroupId {
        if (value < 0) {
            throw new IllegalArgumentException("IOMMU group number " + value + " is negative");
        }
    }

    /** Parses the decimal group number a sysfs link or directory name carries. */
    public static IommuGroupId parse(String text) {
        try {
            return new IommuGroupId(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IOMMU group number: sysfs names groups"
                    + " by decimal numbers (/sys/kernel/iommu_groups/N)", e);
        }
    }

    @Override
    public int compareTo(IommuGroupId o) {
        return Integer.compare(value, o.value);
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
