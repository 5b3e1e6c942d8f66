package dev.jvmm.pci;

import java.util.List;
import java.util.Objects;

/**
 * What a PCI function shows the guest right now, for inventories ({@code query-pci}): its address, its
 * identity registers as read through config space, the header type, the interrupt pin and line, and its
 * BARs with where they decode.
 *
 * @param address where the function sits
 * @param name the device's {@link PciDevice#name()}
 * @param identity vendor, device, revision, class code and, for a type 0 header, the subsystem IDs (a
 *     type 1 header has other registers at 0x2c, so those two read whatever is there)
 * @param headerType the header layout, 0 endpoint, 1 PCI-to-PCI bridge (the multi-function bit removed)
 * @param interruptPin 0 none, 1-4 INTA-INTD
 * @param interruptLine the IRQ the guest wrote into Interrupt Line (meaningful only with a pin)
 * @param bars the implemented BARs in index order
 */
public record PciFunctionSummary(PciBdf address, String name, PciIdentity identity, int headerType,
        int interruptPin, int interruptLine, List<PciBar> bars) {

    public PciFunctionSummary {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(identity, "identity");
        bars = List.copyOf(bars);
    }

    /** Reads the summary of {@code device} through its config space; the caller holds the bus lock. */
    static PciFunctionSummary read(PciBdf address, PciDevice device) {
        PciIdentity identity = new PciIdentity(
                device.configRead(PciRegisters.VENDOR_ID, 2),
                device.configRead(PciRegisters.DEVICE_ID, 2),
                device.configRead(PciRegisters.REVISION_ID, 1),
                device.configRead(PciRegisters.CLASS_PROG, 1) | device.configRead(PciRegisters.CLASS_PROG + 1, 2) << 8,
                device.configRead(PciRegisters.SUBSYSTEM_VENDOR_ID, 2),
                device.configRead(PciRegisters.SUBSYSTEM_ID, 2));
        return new PciFunctionSummary(address, device.name(), identity,
                device.configRead(PciRegisters.HEADER_TYPE, 1) & ~PciRegisters.HEADER_TYPE_MULTI_FUNCTION,
                device.configRead(PciRegisters.INTERRUPT_PIN, 1),
                device.configRead(PciRegisters.INTERRUPT_LINE, 1),
                device.bars());
    }
}
