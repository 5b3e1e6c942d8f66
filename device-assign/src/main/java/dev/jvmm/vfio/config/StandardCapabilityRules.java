package dev.jvmm.vfio.config;

import static dev.jvmm.vfio.config.PciRegs.PCI_EXP_DEVCTL;
import static dev.jvmm.vfio.config.PciRegs.PCI_EXP_DEVCTL2;
import static dev.jvmm.vfio.config.PciRegs.PCI_EXP_DEVSTA;
import static dev.jvmm.vfio.config.PciRegs.PCI_EXP_FLAGS;
import static dev.jvmm.vfio.config.PciRegs.PCI_EXP_FLAGS_VERS;
import static dev.jvmm.vfio.config.PciRegs.PCI_EXP_LNKCTL;
import static dev.jvmm.vfio.config.PciRegs.PCI_EXP_LNKSTA;
import static dev.jvmm.vfio.config.PciRegs.PCI_PM_CTRL;
import static dev.jvmm.vfio.config.PciRegs.PCI_PM_PMC;

import java.util.ArrayList;
import java.util.List;

/**
 * Register tables of the capabilities passed through to the device: power management and PCI Express.
 * Their registers read from the device; the guest's writes reach it only for control fields and
 * write-1-to-clear status bits (vfio-pci applies its own permission table on top). Rules are relative to
 * the capability's offset and cover everything after its ID and next bytes.
 */
final class StandardCapabilityRules {

    /** PCIe capability structure sizes: through Root Status (v1), through Slot Status 2 (v2). */
    static final int PCIE_V1_LENGTH = 0x24;
    static final int PCIE_V2_LENGTH = 0x3c;

    private static final String READ_ONLY = "read-only to the guest: a device property, or state the host owns";

    private StandardCapabilityRules() {}

    static List<RegisterRule> powerManagement() {
        return List.of(
                RegisterRule.passThrough("PM capabilities", PCI_PM_PMC, 2, 0, READ_ONLY),
                // PCI PM 1.2 3.2.4: PowerState 1:0, PME_En 8, Data_Select 12:9, PME_Status 15 (write 1 to clear)
                RegisterRule.passThrough("PM control/status", PCI_PM_CTRL, 2, 0x9f03,
                        "the guest may change the power state and PME enable, and clear PME status"),
                RegisterRule.passThrough("PM bridge extensions and data", PCI_PM_CTRL + 2, 2, 0, READ_ONLY));
    }

    static int pcieLength(int flags) {
        return (flags & PCI_EXP_FLAGS_VERS) >= 2 ? PCIE_V2_LENGTH : PCIE_V1_LENGTH;
    }

    static List<RegisterRule> pciExpress(int flags) {
        int length = pcieLength(flags);
        List<RegisterRule> rules = new ArrayList<>();
        rules.add(RegisterRule.passThrough("PCIe capabilities", PCI_EXP_FLAGS, 2, 0, READ_ONLY));
        rules.add(RegisterRule.passThrough("PCIe device capabilities", 0x04, 4, 0, READ_ONLY));
        rules.add(RegisterRule.passThrough("PCIe device control", PCI_EXP_DEVCTL, 2, 0xffff,
                "the guest driver sets payload sizes, error reporting and relaxed ordering; PCIe 4.0 7.8.4"));
        rules.add(RegisterRule.passThrough("PCIe device status", PCI_EXP_DEVSTA, 2, 0x000f,
                "error bits 3:0 are write-1-to-clear; PCIe 4.0 7.8.5"));
        rules.add(RegisterRule.passThrough("PCIe link capabilities", 0x0c, 4, 0, READ_ONLY));
        rules.add(RegisterRule.passThrough("PCIe link control", PCI_EXP_LNKCTL, 2, 0,
                "the link and its ASPM policy belong to the host, which owns the other end of the link"));
        rules.add(RegisterRule.passThrough("PCIe link status", PCI_EXP_LNKSTA, 2, 0, READ_ONLY));
        for (int at = 0x14; at < PCIE_V1_LENGTH; at += 4) {
            rules.add(RegisterRule.passThrough("PCIe slot/root registers", at, 4, 0,
                    READ_ONLY + " (an endpoint has no slot or root port)"));
        }
        if (length == PCIE_V2_LENGTH) {
            rules.add(RegisterRule.passThrough("PCIe device capabilities 2", 0x24, 4, 0, READ_ONLY));
            rules.add(RegisterRule.passThrough("PCIe device control 2", PCI_EXP_DEVCTL2, 2, 0xffff,
                    "completion timeout, atomics, LTR, 10-bit tags: the guest driver's choice; PCIe 4.0 7.8.16"));
            rules.add(RegisterRule.passThrough("PCIe device status 2", 0x2a, 2, 0, READ_ONLY));
            for (int at = 0x2c; at < PCIE_V2_LENGTH; at += 4) {
                rules.add(RegisterRule.passThrough("PCIe link/slot registers 2", at, 4, 0,
                        "the link and slot belong to the host"));
            }
        }
        return rules;
    }
}
