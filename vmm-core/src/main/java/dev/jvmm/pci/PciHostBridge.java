package dev.jvmm.pci;

import java.util.List;

/**
 * The host bridge at 00.0, the function every PC enumerator expects first: Linux's
 * {@code pci_sanity_check} accepts config mechanism #1 only once it finds a host bridge or VGA class
 * device (or an Intel or Compaq vendor ID) on bus 0.
 *
 * <p>It identifies as 1b36:0008, QEMU's generic PCIe host bridge, rather than 8086:0d57 (crosvm's and
 * Cloud Hypervisor's "virtual PCIe host"): 1b36 is Red Hat's vendor range set aside for virtual
 * hardware, with its IDs published in QEMU's docs/specs/pci-ids, whereas 0d57 is a device ID those
 * projects chose inside Intel's vendor range, not one Intel published for a virtual bridge. An Intel
 * vendor ID also invites guest code keyed on Intel chipsets; 1b36:0008 has no quirks or chipset
 * drivers in Linux or Windows, which bind it as a plain host bridge (class 06:00:00). No BARs, no
 * capabilities, no interrupt.
 */
public final class PciHostBridge implements PciDevice {
    public static final int VENDOR_ID = 0x1b36;
    public static final int DEVICE_ID = 0x0008;

    private final PciConfigSpace config = PciConfigSpace.type0(
            new PciIdentity(VENDOR_ID, DEVICE_ID, 0, PciIdentity.CLASS_HOST_BRIDGE, 0, 0),
            PciConfigSpace.CONVENTIONAL_SIZE);

    @Override
    public String name() {
        return "host bridge";
    }

    @Override
    public int configRead(int offset, int size) {
        return config.read(offset, size);
    }

    @Override
    public void configWrite(int offset, int size, int value) {
        config.write(offset, size, value);
    }

    @Override
    public List<PciBar> bars() {
        return List.of();
    }
}
