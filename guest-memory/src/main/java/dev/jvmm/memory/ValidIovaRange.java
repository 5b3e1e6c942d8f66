package dev.jvmm.memory;

import java.util.Objects;

/**
 * One entry of VFIO's IOVA-range capability ({@code VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE},
 * {@code struct vfio_iova_range}): IOVAs from {@code first} to {@code last}, both inclusive, that the
 * container can map. Inclusive bounds let it cover the whole 64-bit space, which an {@link IovaRange}
 * (whose length must fit 64 bits) cannot.
 */
public record ValidIovaRange(Iova first, Iova last) {

    public ValidIovaRange {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException("valid IOVA range starts at " + first + " above its end "
                    + last + ": pass the kernel's vfio_iova_range {start, end} unchanged, both inclusive");
        }
    }

    public static ValidIovaRange of(long first, long last) {
        return new ValidIovaRange(Iova.of(first), Iova.of(last));
    }
}
