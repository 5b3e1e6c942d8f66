package dev.jvmm.vfio.config;

import java.util.List;
import java.util.Set;

/**
 * Choices for one device's config-space virtualization: which capability IDs the guest may see
 * (everything else is removed from the list) and which quirks apply.
 */
public record ConfigSpaceOptions(Set<Integer> exposedCapabilities, List<ConfigQuirk> quirks) {

    /** Power management, MSI, PCI Express and MSI-X: what a guest driver of an endpoint needs. */
    public static final Set<Integer> DEFAULT_EXPOSED_CAPABILITIES = Set.of(
            PciRegs.PCI_CAP_ID_PM, PciRegs.PCI_CAP_ID_MSI, PciRegs.PCI_CAP_ID_EXP, PciRegs.PCI_CAP_ID_MSIX);

    public static final ConfigSpaceOptions DEFAULT =
            new ConfigSpaceOptions(DEFAULT_EXPOSED_CAPABILITIES, ConfigQuirk.BUILT_IN);

    public ConfigSpaceOptions {
        exposedCapabilities = Set.copyOf(exposedCapabilities);
        quirks = List.copyOf(quirks);
        if (!DEFAULT_EXPOSED_CAPABILITIES.containsAll(exposedCapabilities)) {
            throw new IllegalArgumentException("only capabilities with a register table can be exposed ("
                    + DEFAULT_EXPOSED_CAPABILITIES + "), not " + exposedCapabilities);
        }
    }
}
