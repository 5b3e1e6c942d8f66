package dev.jvmm.vfio.config;

import java.util.Objects;

/**
 * One implemented BAR of the physical device as the guest will see it: index (0-5, or {@link #ROM_INDEX}
 * for the expansion ROM, matching the VFIO region indexes), kind, size in bytes (from
 * {@code VFIO_DEVICE_GET_REGION_INFO}) and the prefetchable bit.
 *
 * <p>Invariants: the size is a power of two and at least the minimum the PCI spec allows for the kind
 * (16 bytes memory, 4 bytes I/O, 2 KiB ROM); 32-bit memory BARs and the ROM are below 4 GiB in size;
 * a 64-bit BAR is not BAR 5 (it needs the next register); only memory BARs are prefetchable.
 */
public record BarSpec(int index, BarKind kind, long size, boolean prefetchable) {

    /** Index of the expansion ROM, as {@code VFIO_PCI_ROM_REGION_INDEX}. */
    public static final int ROM_INDEX = 6;
    public static final int BAR_COUNT = 6;

    public BarSpec {
        Objects.requireNonNull(kind, "kind");
        if (kind == BarKind.ROM ? index != ROM_INDEX : index < 0 || index >= BAR_COUNT) {
            throw new IllegalArgumentException("BAR index " + index + " does not fit kind " + kind
                    + ": BARs are 0-5, the ROM is " + ROM_INDEX);
        }
        long min = switch (kind) {
            case MEMORY32, MEMORY64 -> 16;
            case IO -> 4;
            case ROM -> 2048;
        };
        if (Long.bitCount(size) != 1 || Long.compareUnsigned(size, min) < 0) {
            throw new IllegalArgumentException(String.format(
                    "BAR %d (%s) size 0x%x must be a power of two of at least 0x%x bytes", index, kind, size, min));
        }
        if (kind != BarKind.MEMORY64 && Long.compareUnsigned(size, 1L << 32) >= 0) {
            throw new IllegalArgumentException(String.format(
                    "BAR %d (%s) size 0x%x does not fit a 32-bit BAR", index, kind, size));
        }
        if (kind == BarKind.IO && size > IoPortRange.PORT_SPACE) {
            throw new IllegalArgumentException(String.format("I/O BAR %d size 0x%x exceeds the port space", index, size));
        }
        if (kind == BarKind.MEMORY64 && index == BAR_COUNT - 1) {
            throw new IllegalArgumentException("BAR 5 cannot be 64-bit: there is no BAR 6 for its upper half");
        }
        if (prefetchable && kind != BarKind.MEMORY32 && kind != BarKind.MEMORY64) {
            throw new IllegalArgumentException("only memory BARs can be prefetchable, not " + kind + " BAR " + index);
        }
    }

    public boolean isMemory() {
        return kind == BarKind.MEMORY32 || kind == BarKind.MEMORY64 || kind == BarKind.ROM;
    }
}
