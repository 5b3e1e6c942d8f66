package dev.jvmm.vfio;

import dev.jvmm.memory.sys.ErrnoException;
import dev.jvmm.pci.PciBdf;
import dev.jvmm.vfio.config.DeviceAccessException;
import dev.jvmm.vfio.config.DeviceConfigAccess;
import dev.jvmm.vfio.kernel.KernelHandle;
import dev.jvmm.vfio.kernel.RegionInfo;
import dev.jvmm.vfio.kernel.VfioKernel;

/**
 * The physical device's configuration space through VFIO: pread/pwrite of the device fd within the config
 * region ({@code VFIO_PCI_CONFIG_REGION_INDEX}). vfio-pci itself virtualizes parts of it (BARs, MSI
 * enable bits) and filters writes; this class passes accesses through unchanged. An access need not be
 * naturally aligned, only inside one dword (what {@code DeviceConfigAccess} allows a guest-driven caller):
 * vfio_pci_config_rw splits it into pieces the hardware takes.
 */
final class VfioDeviceConfig implements DeviceConfigAccess {

    private final VfioKernel kernel;
    private final KernelHandle device;
    private final PciBdf address;
    private final RegionInfo region;

    VfioDeviceConfig(VfioKernel kernel, KernelHandle device, PciBdf address, RegionInfo region) {
        this.kernel = kernel;
        this.device = device;
        this.address = address;
        this.region = region;
    }

    @Override
    public int read(int offset, int width) {
        check(offset, width);
        try {
            return (int) kernel.read(device, region.offset() + offset, width);
        } catch (ErrnoException e) {
            throw new DeviceAccessException("reading " + width + " bytes at config offset 0x"
                    + Integer.toHexString(offset) + " of " + address + " failed", e);
        }
    }

    @Override
    public void write(int offset, int width, int value) {
        check(offset, width);
        try {
            kernel.write(device, region.offset() + offset, width, Integer.toUnsignedLong(value));
        } catch (ErrnoException e) {
            throw new DeviceAccessException("writing " + width + " bytes at config offset 0x"
                    + Integer.toHexString(offset) + " of " + address + " failed", e);
        }
    }

    private void check(int offset, int width) {
        if ((width != 1 && width != 2 && width != 4) || offset < 0 || (offset & 3) + width > 4
                || offset + width > region.size()) {
            throw new IllegalArgumentException(width + "-byte config access at 0x" + Integer.toHexString(offset)
                    + " of " + address + ": accesses are 1, 2 or 4 bytes, inside one dword, within the "
                    + region.size() + "-byte config region");
        }
    }
}
