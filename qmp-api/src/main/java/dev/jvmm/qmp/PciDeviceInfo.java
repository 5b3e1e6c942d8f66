package dev.jvmm.qmp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One PCI function as {@code query-pci} reports it ({@code PciDeviceInfo}).
 *
 * @param bus bus number (0..255)
 * @param slot device number (0..31)
 * @param function function number (0..7)
 * @param classInfo the class code
 * @param id vendor, device and subsystem IDs
 * @param irq the legacy interrupt line, if one is routed
 * @param irqPin the interrupt pin: 0 none, 1..4 INTA..INTD
 * @param qdevId the device's {@code id} as given to {@code device_add} or on the command line, {@code ""}
 *     when it has none
 * @param bridge present exactly when this function is a PCI bridge or root port
 * @param regions the BARs (0..5) and the expansion ROM (6) that are implemented
 */
public record PciDeviceInfo(
        int bus,
        int slot,
        int function,
        PciDeviceClass classInfo,
        PciDeviceId id,
        OptionalInt irq,
        int irqPin,
        String qdevId,
        Optional<PciBridgeInfo> bridge,
        List<PciMemoryRegion> regions) {

    public PciDeviceInfo {
        PciChecks.range("bus", bus, 0, 255);
        PciChecks.range("slot", slot, 0, 31);
        PciChecks.range("function", function, 0, 7);
        Objects.requireNonNull(classInfo, "classInfo");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(irq, "irq");
        PciChecks.range("irqPin", irqPin, 0, 4);
        Objects.requireNonNull(qdevId, "qdevId (use \"\" for a device without an id)");
        Objects.requireNonNull(bridge, "bridge");
        regions = List.copyOf(regions);
    }
}
