package dev.jvmm.qmp;

import java.util.List;

/**
 * One root PCI bus and the devices on it ({@code PciInfo} of {@code query-pci}). Devices behind a bridge
 * are listed inside that bridge's {@link PciBridgeInfo#devices()}, not here.
 *
 * @param bus the bus number (0..255)
 * @param devices the devices on this bus, in slot/function order
 */
public record PciInfo(int bus, List<PciDeviceInfo> devices) {
    public PciInfo {
        PciChecks.range("bus", bus, 0, 255);
        devices = List.copyOf(devices);
    }
}
