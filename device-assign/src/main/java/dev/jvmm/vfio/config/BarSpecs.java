package dev.jvmm.vfio.config;

import static dev.jvmm.vfio.config.PciRegs.PCI_BASE_ADDRESS_0;
import static dev.jvmm.vfio.config.PciRegs.PCI_BASE_ADDRESS_MEM_PREFETCH;
import static dev.jvmm.vfio.config.PciRegs.PCI_BASE_ADDRESS_MEM_TYPE_1M;
import static dev.jvmm.vfio.config.PciRegs.PCI_BASE_ADDRESS_MEM_TYPE_32;
import static dev.jvmm.vfio.config.PciRegs.PCI_BASE_ADDRESS_MEM_TYPE_64;
import static dev.jvmm.vfio.config.PciRegs.PCI_BASE_ADDRESS_MEM_TYPE_MASK;
import static dev.jvmm.vfio.config.PciRegs.PCI_BASE_ADDRESS_SPACE_IO;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * Builds the {@link BarSpec}s of a physical device from the two places that describe its BARs: the
 * sizes VFIO reports per region index ({@code VFIO_DEVICE_GET_REGION_INFO}; 0 for an absent BAR, and for
 * the upper half of a 64-bit BAR) and the type bits of the BAR registers in config space.
 */
public final class BarSpecs {

    private BarSpecs() {}

    /**
     * @param regionSize size of VFIO region {@code index} (0-5 BARs, 6 the ROM), 0 if absent
     */
    public static List<BarSpec> probe(DeviceConfigAccess device, IntToLongFunction regionSize) {
        List<BarSpec> bars = new ArrayList<>();
        for (int i = 0; i < BarSpec.BAR_COUNT; i++) {
            long size = regionSize.applyAsLong(i);
            if (size == 0) {
                continue;
            }
            int raw = device.read(PCI_BASE_ADDRESS_0 + 4 * i, 4);
            if ((raw & PCI_BASE_ADDRESS_SPACE_IO) != 0) {
                bars.add(new BarSpec(i, BarKind.IO, size, false));
                continue;
            }
            boolean prefetchable = (raw & PCI_BASE_ADDRESS_MEM_PREFETCH) != 0;
            int type = raw & PCI_BASE_ADDRESS_MEM_TYPE_MASK;
            if (type == PCI_BASE_ADDRESS_MEM_TYPE_64) {
                if (i == BarSpec.BAR_COUNT - 1) {
                    throw new ConfigSpaceException("BAR 5 of the device claims a 64-bit address (0x"
                            + Integer.toHexString(raw) + "), which needs a BAR 6 that does not exist");
                }
                bars.add(new BarSpec(i, BarKind.MEMORY64, size, prefetchable));
                i++; // the upper half
            } else if (type == PCI_BASE_ADDRESS_MEM_TYPE_32 || type == PCI_BASE_ADDRESS_MEM_TYPE_1M) {
                bars.add(new BarSpec(i, BarKind.MEMORY32, size, prefetchable));
            } else {
                throw new ConfigSpaceException("BAR " + i + " of the device has the reserved memory type 11b (0x"
                        + Integer.toHexString(raw) + ")");
            }
        }
        long romSize = regionSize.applyAsLong(BarSpec.ROM_INDEX);
        if (romSize != 0) {
            bars.add(new BarSpec(BarSpec.ROM_INDEX, BarKind.ROM, romSize, false));
        }
        return List.copyOf(bars);
    }
}
