package dev.jvmm.vfio.config;

import java.util.List;
import java.util.Objects;

/**
 * A device-specific deviation from the generic config-space rules, kept as data: which device (vendor
 * and device ID; {@link #ANY_DEVICE} matches every device of the vendor), what to do, why, and where
 * the knowledge comes from.
 */
public record ConfigQuirk(String name, int vendorId, int deviceId, Action action, String reason, String reference) {

    public static final int ANY_DEVICE = -1;

    /** What a quirk changes. */
    public sealed interface Action permits HideRom, HideCapability {}

    /** Hide the expansion ROM even when one is provided. */
    public record HideRom() implements Action {}

    /** Hide every capability with this ID even when the allow-list exposes it. */
    public record HideCapability(int capabilityId) implements Action {}

    /** The quirks applied unless the caller passes its own list. */
    public static final List<ConfigQuirk> BUILT_IN = List.of(
            new ConfigQuirk("bcm57810-rom", 0x14e4, 0x168e, new HideRom(),
                    "the option ROM of the Broadcom BCM57810 is known not to work in a guest, so none is offered",
                    "QEMU hw/vfio/pci-quirks.c, option ROM denylist"));

    public ConfigQuirk {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(reference, "reference");
        if ((vendorId & ~0xffff) != 0 || (deviceId != ANY_DEVICE && (deviceId & ~0xffff) != 0)) {
            throw new IllegalArgumentException("quirk " + name + ": vendor and device IDs are 16-bit");
        }
    }

    public boolean matches(int vendor, int device) {
        return vendor == vendorId && (deviceId == ANY_DEVICE || device == deviceId);
    }
}
