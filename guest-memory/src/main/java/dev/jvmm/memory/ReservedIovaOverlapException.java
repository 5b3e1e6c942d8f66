package dev.jvmm.memory;

import static dev.jvmm.memory.AddressMath.hex;
import static dev.jvmm.memory.AddressMath.size;

/**
 * Guest RAM, mapped for DMA at IOVA = GPA, would cover an IOVA range the host IOMMU reserves, so the
 * VM cannot be given this RAM layout together with the assigned devices. The message names both
 * ranges, the reservation's type and the largest RAM size that would avoid it.
 */
public final class ReservedIovaOverlapException extends RuntimeException {

    private final GpaRange ram;
    private final ReservedIovaRegion reserved;
    private final long maxRamBytes;

    /**
     * @param maxRamBytes the most RAM, filled in address order, that ends below the reservation;
     *                    0 when no RAM size avoids it
     */
    ReservedIovaOverlapException(GpaRange ram, ReservedIovaRegion reserved, long maxRamBytes) {
        super(message(ram, reserved, maxRamBytes));
        this.ram = ram;
        this.reserved = reserved;
        this.maxRamBytes = maxRamBytes;
    }

    public GpaRange ram() {
        return ram;
    }

    public ReservedIovaRegion reserved() {
        return reserved;
    }

    /** The most RAM (in bytes, a multiple of 4 KiB) that stays clear of the reservation; 0 if none does. */
    public long maxRamBytes() {
        return maxRamBytes;
    }

    private static String message(GpaRange ram, ReservedIovaRegion reserved, long maxRamBytes) {
        String shrink = maxRamBytes > 0
                ? "give the guest at most " + size(maxRamBytes) + " of RAM (" + maxRamBytes
                        + " bytes, rounded down to your page size) so that it ends below " + hex(
                        reserved.range().start().value())
                : "no RAM size avoids it, as it starts at the bottom of guest RAM";
        String why = switch (reserved.type()) {
            case MSI, SW_MSI -> "it is the host's MSI doorbell window, which the guest layout must keep"
                    + " inside the PCI hole " + GuestLayout.PCI_HOLE + "; " + shrink;
            case DIRECT -> "a device in the IOMMU group needs it identity-mapped for firmware (RMRR); "
                    + shrink + ", or assign a device without an RMRR";
            case OUTSIDE_VALID_RANGES -> "the IOMMU cannot translate these IOVAs (beyond its address width"
                    + " or a hole VFIO reports); " + shrink;
            case RESERVED, DIRECT_RELAXABLE -> "the IOMMU keeps these IOVAs for itself; " + shrink;
        };
        return "guest RAM " + ram + " would be DMA-mapped at IOVA = GPA over " + reserved.range()
                + ", which the host IOMMU reserves (" + reserved.type().sysfsName() + "): " + why;
    }
}
