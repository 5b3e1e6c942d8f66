package dev.jvmm.vfio.config;

import static dev.jvmm.vfio.config.PciRegs.PCI_MSIX_FLAGS;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSIX_FLAGS_ENABLE;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSIX_FLAGS_MASKALL;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSIX_FLAGS_QSIZE;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSIX_PBA;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSIX_TABLE;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSIX_TABLE_BIR;

import java.util.List;
import java.util.Optional;

/**
 * The MSI-X capability, emulated: message control's enable and function-mask bits are the guest's, the
 * table size and the table/PBA locations are the device's, read-only. {@link #reconcile} reports enable
 * and function-mask changes; the per-vector state is in the {@link MsixTable}.
 */
final class MsixCapability {

    private final int offset;
    private final ConfigRegisters regs;
    private final InterruptListener listener;
    private final MsixTable table;
    private boolean reportedEnabled;
    private boolean reportedMasked;

    private MsixCapability(int offset, ConfigRegisters regs, InterruptListener listener, MsixTable table) {
        this.offset = offset;
        this.regs = regs;
        this.listener = listener;
        this.table = table;
    }

    /**
     * The capability at {@code offset} of a device whose control/table/PBA registers read as given, or
     * empty (with the reason in {@code whyNot}) if its table or PBA does not lie inside an implemented
     * memory BAR, in which case the table cannot be emulated and the capability must be hidden.
     */
    static Optional<MsixCapability> of(int offset, int deviceControl, int tableReg, int pbaReg, List<BarSpec> bars,
                                       ConfigRegisters regs, InterruptListener listener, StringBuilder whyNot) {
        int vectors = (deviceControl & PCI_MSIX_FLAGS_QSIZE) + 1;
        int tableBar = tableReg & PCI_MSIX_TABLE_BIR;
        long tableOffset = Integer.toUnsignedLong(tableReg & ~PCI_MSIX_TABLE_BIR);
        int pbaBar = pbaReg & PCI_MSIX_TABLE_BIR;
        long pbaOffset = Integer.toUnsignedLong(pbaReg & ~PCI_MSIX_TABLE_BIR);
        long tableSize = (long) vectors * PciRegs.PCI_MSIX_ENTRY_SIZE;
        long pbaSize = ((vectors + 63) / 64) * 8L;
        if (!fits(bars, tableBar, tableOffset, tableSize)) {
            whyNot.append(String.format("its %d-vector table at BAR %d + 0x%x is not inside an implemented memory BAR",
                    vectors, tableBar, tableOffset));
            return Optional.empty();
        }
        if (!fits(bars, pbaBar, pbaOffset, pbaSize)) {
            whyNot.append(String.format("its pending bit array at BAR %d + 0x%x is not inside an implemented memory BAR",
                    pbaBar, pbaOffset));
            return Optional.empty();
        }
        MsixCapability[] self = new MsixCapability[1];
        MsixTable table = new MsixTable(vectors, tableBar, tableOffset, pbaBar, pbaOffset,
                () -> self[0].enabled(), listener);
        self[0] = new MsixCapability(offset, regs, listener, table);
        return Optional.of(self[0]);
    }

    private static boolean fits(List<BarSpec> bars, int index, long offset, long size) {
        return bars.stream().anyMatch(b -> b.index() == index && b.kind() != BarKind.IO && b.kind() != BarKind.ROM
                && Long.compareUnsigned(offset, b.size()) < 0 && Long.compareUnsigned(size, b.size() - offset) <= 0);
    }

    List<RegisterRule> rules(int deviceControl, int tableReg, int pbaReg) {
        String why = "MSI-X is emulated; vfio-pci programs the device's table through VFIO_DEVICE_SET_IRQS";
        return List.of(
                RegisterRule.emulated("MSI-X message control", offset + PCI_MSIX_FLAGS, 2,
                        PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL, deviceControl & PCI_MSIX_FLAGS_QSIZE,
                        why + "; the table size is the device's (PCI 3.0 6.8.2.3)"),
                RegisterRule.readOnly("MSI-X table offset/BIR", offset + PCI_MSIX_TABLE, 4, tableReg,
                        "where the device keeps its table, read-only (PCI 3.0 6.8.2.4)"),
                RegisterRule.readOnly("MSI-X PBA offset/BIR", offset + PCI_MSIX_PBA, 4, pbaReg,
                        "where the device keeps its pending bits, read-only (PCI 3.0 6.8.2.6)"));
    }

    boolean enabled() {
        return (regs.value(offset + PCI_MSIX_FLAGS, 2) & PCI_MSIX_FLAGS_ENABLE) != 0;
    }

    boolean functionMasked() {
        return (regs.value(offset + PCI_MSIX_FLAGS, 2) & PCI_MSIX_FLAGS_MASKALL) != 0;
    }

    void reconcile() {
        boolean enabled = enabled();
        boolean masked = functionMasked();
        if (enabled != reportedEnabled || masked != reportedMasked) {
            reportedEnabled = enabled;
            reportedMasked = masked;
            listener.msixConfigured(enabled, masked);
        }
    }

    MsixTable table() {
        return table;
    }
}
