package dev.jvmm.qmp;

import java.util.Objects;

/**
 * A bridge's bus numbers and forwarding windows ({@code PciBusInfo}).
 *
 * @param number the bus the bridge sits on
 * @param secondary the bus directly behind it (0 until firmware assigns one)
 * @param subordinate the highest bus number behind it
 */
public record PciBusInfo(
        int number,
        int secondary,
        int subordinate,
        PciMemoryRange ioRange,
        PciMemoryRange memoryRange,
        PciMemoryRange prefetchableRange) {

    public PciBusInfo {
        PciChecks.range("number", number, 0, 255);
        PciChecks.range("secondary", secondary, 0, 255);
        PciChecks.range("subordinate", subordinate, 0, 255);
        Objects.requireNonNull(ioRange, "ioRange");
        Objects.requireNonNull(memoryRange, "memoryRange");
        Objects.requireNonNull(prefetchableRange, "prefetchableRange");
    }
}
