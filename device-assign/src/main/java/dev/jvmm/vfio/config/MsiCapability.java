package dev.jvmm.vfio.config;

import static dev.jvmm.vfio.config.PciRegs.PCI_MSI_ADDRESS_HI;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSI_ADDRESS_LO;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSI_DATA_32;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSI_DATA_64;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSI_FLAGS;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSI_FLAGS_64BIT;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSI_FLAGS_ENABLE;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSI_FLAGS_MASKBIT;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSI_FLAGS_QMASK;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSI_FLAGS_QSIZE;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSI_MASK_32;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSI_MASK_64;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSI_PENDING_32;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSI_PENDING_64;

import java.util.ArrayList;
import java.util.List;

/**
 * The MSI capability, fully emulated (vfio-pci programs the real one when the VMM calls
 * {@code VFIO_DEVICE_SET_IRQS}): the guest's message control, address, data and mask bits live in the
 * emulated registers, the device's capability bits (64-bit, per-vector masking, vectors capable) are
 * read-only, and pending bits are read from the device. After each guest write {@link #reconcile}
 * compares the guest's vectors with those last reported and tells the {@link InterruptListener}.
 */
final class MsiCapability {

    private final int offset;
    private final int flags;
    private final ConfigRegisters regs;
    private final InterruptListener listener;
    private List<MsiVector> reported = List.of();

    MsiCapability(int offset, int deviceFlags, ConfigRegisters regs, InterruptListener listener) {
        this.offset = offset;
        this.flags = deviceFlags & (PCI_MSI_FLAGS_QMASK | PCI_MSI_FLAGS_64BIT | PCI_MSI_FLAGS_MASKBIT);
        this.regs = regs;
        this.listener = listener;
    }

    /** Bytes of the structure for these flags: 10, 14, 20 or 24 (PCI 3.0 6.8.1). */
    static int length(int deviceFlags) {
        boolean is64 = (deviceFlags & PCI_MSI_FLAGS_64BIT) != 0;
        boolean masking = (deviceFlags & PCI_MSI_FLAGS_MASKBIT) != 0;
        return masking ? (is64 ? 0x18 : 0x14) : (is64 ? 0x0e : 0x0a);
    }

    private boolean is64() {
        return (flags & PCI_MSI_FLAGS_64BIT) != 0;
    }

    private boolean masking() {
        return (flags & PCI_MSI_FLAGS_MASKBIT) != 0;
    }

    private int vectorsCapable() {
        return 1 << ((flags & PCI_MSI_FLAGS_QMASK) >>> 1);
    }

    private int dataOffset() {
        return offset + (is64() ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32);
    }

    private int maskOffset() {
        return offset + (is64() ? PCI_MSI_MASK_64 : PCI_MSI_MASK_32);
    }

    /** Rules for everything after the ID and next bytes. */
    List<RegisterRule> rules() {
        String why = "MSI is emulated; vfio-pci programs the device's own MSI registers through VFIO_DEVICE_SET_IRQS";
        List<RegisterRule> rules = new ArrayList<>();
        rules.add(RegisterRule.emulated("MSI message control", offset + PCI_MSI_FLAGS, 2,
                PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE, flags,
                why + "; capability bits are the device's, read-only (PCI 3.0 6.8.1.3)"));
        rules.add(RegisterRule.emulated("MSI message address", offset + PCI_MSI_ADDRESS_LO, 4, 0xfffffffc, 0,
                why + "; bits 1:0 are reserved 0 (PCI 3.0 6.8.1.4)"));
        if (is64()) {
            rules.add(RegisterRule.emulated("MSI message upper address", offset + PCI_MSI_ADDRESS_HI, 4, -1, 0, why));
        }
        rules.add(RegisterRule.emulated("MSI message data", dataOffset(), 2, 0xffff, 0, why));
        if (masking()) {
            rules.add(RegisterRule.readOnly("MSI reserved", dataOffset() + 2, 2, 0,
                    "reserved (extended message data is not offered)"));
            int maskable = vectorsCapable() == 32 ? -1 : (1 << vectorsCapable()) - 1;
            rules.add(RegisterRule.emulated("MSI mask bits", maskOffset(), 4, maskable, 0,
                    why + "; one bit per vector the device supports (PCI 3.0 6.8.1.7)"));
            rules.add(RegisterRule.passThrough("MSI pending bits",
                    offset + (is64() ? PCI_MSI_PENDING_64 : PCI_MSI_PENDING_32), 4, 0,
                    "read-only status the device sets (PCI 3.0 6.8.1.8)"));
        }
        return rules;
    }

    /** Clamps the enabled vector count to what the device supports, then reports changes. */
    void reconcile() {
        int control = regs.value(offset + PCI_MSI_FLAGS, 2);
        int enabledLog2 = (control & PCI_MSI_FLAGS_QSIZE) >>> 4;
        int capableLog2 = (flags & PCI_MSI_FLAGS_QMASK) >>> 1;
        if (enabledLog2 > capableLog2) { // PCI 3.0 6.8.1.3: more than capable is undefined; give the most
            control = (control & ~PCI_MSI_FLAGS_QSIZE) | (capableLog2 << 4);
            regs.setValue(offset + PCI_MSI_FLAGS, 2, control);
            enabledLog2 = capableLog2;
        }
        List<MsiVector> now = vectors(control, enabledLog2);
        List<MsiVector> before = reported;
        reported = now;
        if (now.size() != before.size()) {
            listener.msiConfigured(now);
            return;
        }
        for (int i = 0; i < now.size(); i++) {
            if (!now.get(i).equals(before.get(i))) {
                listener.msiVectorChanged(now.get(i));
            }
        }
    }

    /** The enabled vectors as the guest programmed them; empty while MSI is disabled. */
    List<MsiVector> vectors() {
        return reported;
    }

    private List<MsiVector> vectors(int control, int enabledLog2) {
        if ((control & PCI_MSI_FLAGS_ENABLE) == 0) {
            return List.of();
        }
        long address = Integer.toUnsignedLong(regs.value(offset + PCI_MSI_ADDRESS_LO, 4));
        if (is64()) {
            address |= Integer.toUnsignedLong(regs.value(offset + PCI_MSI_ADDRESS_HI, 4)) << 32;
        }
        int data = regs.value(dataOffset(), 2);
        int mask = masking() ? regs.value(maskOffset(), 4) : 0;
        int count = 1 << enabledLog2;
        List<MsiVector> vectors = new ArrayList<>(count);
        for (int v = 0; v < count; v++) { // PCI 3.0 6.8.3.4: the vector number replaces the low data bits
            vectors.add(new MsiVector(v, address, (data & ~(count - 1)) | v, ((mask >>> v) & 1) != 0));
        }
        return List.copyOf(vectors);
    }
}
