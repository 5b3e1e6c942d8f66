package dev.jvmm.qmp;

import java.util.Objects;
import java.util.Optional;

/**
 * The class of a PCI function ({@code class_info}).
 *
 * @param classCode base class and subclass as one 16-bit number (0x0600 is a host bridge); QMP prints it
 *     in decimal
 * @param description QEMU's name for the class, e.g. {@code "Host bridge"}, if known
 */
public record PciDeviceClass(int classCode, Optional<String> description) {
    public PciDeviceClass {
        PciChecks.range("classCode", classCode, 0, 0xFFFF);
        Objects.requireNonNull(description, "description");
    }
}
