package dev.jvmm.qmp;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The identity registers of a PCI function ({@code id} of {@code PciDeviceInfo}); 16-bit values, printed
 * in decimal on the wire ({@code "vendor": 32902} is 0x8086).
 */
public record PciDeviceId(int vendor, int device, OptionalInt subsystemVendor, OptionalInt subsystem) {
    public PciDeviceId {
        PciChecks.range("vendor", vendor, 0, 0xFFFF);
        PciChecks.range("device", device, 0, 0xFFFF);
        Objects.requireNonNull(subsystemVendor, "subsystemVendor");
        Objects.requireNonNull(subsystem, "subsystem");
        subsystemVendor.ifPresent(v -> PciChecks.range("subsystemVendor", v, 0, 0xFFFF));
        subsystem.ifPresent(v -> PciChecks.range("subsystem", v, 0, 0xFFFF));
    }
}
