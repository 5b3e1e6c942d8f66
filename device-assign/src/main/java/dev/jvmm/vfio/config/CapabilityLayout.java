package dev.jvmm.vfio.config;

import static dev.jvmm.vfio.config.PciRegs.PCI_CAPABILITY_LIST;
import static dev.jvmm.vfio.config.PciRegs.PCI_CAP_ID_EXP;
import static dev.jvmm.vfio.config.PciRegs.PCI_CAP_ID_MSI;
import static dev.jvmm.vfio.config.PciRegs.PCI_CAP_ID_MSIX;
import static dev.jvmm.vfio.config.PciRegs.PCI_CAP_ID_PM;
import static dev.jvmm.vfio.config.PciRegs.PCI_CAP_LIST_ID;
import static dev.jvmm.vfio.config.PciRegs.PCI_CAP_LIST_NEXT;
import static dev.jvmm.vfio.config.PciRegs.PCI_CFG_SPACE_SIZE;
import static dev.jvmm.vfio.config.PciRegs.PCI_STD_HEADER_SIZEOF;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The device's capability list and the guest's filtered copy of it. Exposed capabilities keep their
 * offsets; each one's next pointer is rewritten to the next exposed capability, so hidden ones are
 * unreachable, and their bytes read 0 (no rule claims them). A capability whose structure would run
 * into the next capability or past the 256-byte header is hidden too.
 */
final class CapabilityLayout {

    private static final int MAX_CAPABILITIES = (PCI_CFG_SPACE_SIZE - PCI_STD_HEADER_SIZEOF) / 4;
    private static final System.Logger LOG = System.getLogger("dev.jvmm.vfio.config");

    final List<Capability> all = new ArrayList<>();
    final List<Capability> exposed = new ArrayList<>();
    final List<RegisterRule> rules = new ArrayList<>();
    MsiCapability msi;
    MsixCapability msix;

    /** Reads the device's list (empty unless {@code hasList}) and builds the guest's copy. */
    static CapabilityLayout build(DeviceConfigAccess device, boolean hasList, Set<Integer> allowed,
                                  List<BarSpec> bars, ConfigRegisters regs, InterruptListener listener) {
        CapabilityLayout layout = new CapabilityLayout();
        List<int[]> found = hasList ? walk(device) : List.of(); // {id, offset}
        for (int i = 0; i < found.size(); i++) {
            int id = found.get(i)[0];
            int offset = found.get(i)[1];
            int room = room(found, offset);
            int length = allowed.contains(id) ? layout.expose(device, id, offset, room, bars, regs, listener) : 0;
            Capability cap = new Capability(id, offset, length);
            layout.all.add(cap);
            if (length > 0) {
                layout.exposed.add(cap);
            }
        }
        for (int i = 0; i < layout.exposed.size(); i++) {
            Capability cap = layout.exposed.get(i);
            int next = i + 1 < layout.exposed.size() ? layout.exposed.get(i + 1).offset() : 0;
            layout.rules.add(RegisterRule.readOnly("capability 0x" + Integer.toHexString(cap.id()) + " header",
                    cap.offset(), 2, cap.id() | next << 8,
                    "the ID is the device's; next skips capabilities hidden from the guest"));
        }
        return layout;
    }

    /** The device's list as {id, offset} pairs in list order; throws on a malformed list. */
    private static List<int[]> walk(DeviceConfigAccess device) {
        List<int[]> found = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        int offset = device.read(PCI_CAPABILITY_LIST, 1) & 0xfc;
        while (offset != 0) {
            if (offset < PCI_STD_HEADER_SIZEOF || !seen.add(offset) || found.size() >= MAX_CAPABILITIES) {
                throw new ConfigSpaceException(String.format("the device's capability list is malformed at 0x%02x"
                        + " (after %d capabilities): it points into the header or loops", offset, found.size()));
            }
            found.add(new int[] {device.read(offset + PCI_CAP_LIST_ID, 1), offset});
            offset = device.read(offset + PCI_CAP_LIST_NEXT, 1) & 0xfc;
        }
        return found;
    }

    /** Bytes from {@code offset} to the next capability above it, or to the end of the header. */
    private static int room(List<int[]> found, int offset) {
        int end = PCI_CFG_SPACE_SIZE;
        for (int[] other : found) {
            if (other[1] > offset) {
                end = Math.min(end, other[1]);
            }
        }
        return end - offset;
    }

    /** Adds the rules for one allowed capability; returns its length, or 0 to hide it. */
    private int expose(DeviceConfigAccess device, int id, int offset, int room, List<BarSpec> bars,
                       ConfigRegisters regs, InterruptListener listener) {
        int control = device.read(offset + 2, 2);
        int length;
        List<RegisterRule> body;
        switch (id) {
            case PCI_CAP_ID_PM -> {
                length = PciRegs.PCI_PM_SIZEOF;
                body = shift(StandardCapabilityRules.powerManagement(), offset);
            }
            case PCI_CAP_ID_EXP -> {
                length = StandardCapabilityRules.pcieLength(control);
                body = shift(StandardCapabilityRules.pciExpress(control), offset);
            }
            case PCI_CAP_ID_MSI -> {
                if (msi != null) {
                    return hide(id, offset, "the device lists a second MSI capability");
                }
                length = MsiCapability.length(control);
                if (length > room) {
                    return hide(id, offset, "its " + length + " bytes run into the next capability");
                }
                msi = new MsiCapability(offset, control, regs, listener);
                body = msi.rules();
            }
            case PCI_CAP_ID_MSIX -> {
                if (msix != null) {
                    return hide(id, offset, "the device lists a second MSI-X capability");
                }
                length = PciRegs.PCI_CAP_MSIX_SIZEOF;
                int table = device.read(offset + PciRegs.PCI_MSIX_TABLE, 4);
                int pba = device.read(offset + PciRegs.PCI_MSIX_PBA, 4);
                StringBuilder whyNot = new StringBuilder();
                Optional<MsixCapability> cap = MsixCapability.of(offset, control, table, pba, bars, regs, listener, whyNot);
                if (cap.isEmpty()) {
                    return hide(id, offset, whyNot.toString());
                }
                if (length > room) {
                    return hide(id, offset, "its " + length + " bytes run into the next capability");
                }
                msix = cap.get();
                body = msix.rules(control, table, pba);
            }
            default -> throw new IllegalArgumentException("no register table for capability 0x" + Integer.toHexString(id));
        }
        if (length > room) {
            return hide(id, offset, "its " + length + " bytes run into the next capability");
        }
        rules.addAll(body);
        return length;
    }

    private static List<RegisterRule> shift(List<RegisterRule> relative, int offset) {
        return relative.stream().map(r -> r.shifted(offset)).toList();
    }

    private static int hide(int id, int offset, String why) {
        LOG.log(System.Logger.Level.WARNING, () -> String.format(
                "hiding capability 0x%02x at 0x%02x from the guest: %s", id, offset, why));
        return 0;
    }
}
