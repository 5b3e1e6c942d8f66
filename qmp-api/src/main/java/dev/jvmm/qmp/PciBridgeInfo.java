package dev.jvmm.qmp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a bridge adds to its {@link PciDeviceInfo} ({@code pci_bridge}).
 *
 * @param bus the bus numbers and windows the bridge forwards
 * @param devices the functions behind the bridge; empty before firmware gave the bridge a secondary bus
 *     number (QEMU then leaves {@code devices} out)
 */
public record PciBridgeInfo(PciBusInfo bus, Optional<List<PciDeviceInfo>> devices) {
    public PciBridgeInfo {
        Objects.requireNonNull(bus, "bus");
        devices = devices.map(List::copyOf);
    }
}
