package dev.jvmm.vfio;

import dev.jvmm.memory.sys.GuestRam;
import dev.jvmm.pci.PciBdf;
import dev.jvmm.vfio.host.HostPciDevice;
import dev.jvmm.vfio.host.PciSysfs;
import dev.jvmm.vfio.kernel.VfioKernel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The PCI functions assigned to one VM, attached in the order the kernel's VFIO documentation
 * (Documentation/driver-api/vfio.rst) gives, one container for all of them:
 *
 * <ol>
 *   <li>check each device in sysfs: it exists, is bound to vfio-pci, has an IOMMU group;</li>
 *   <li>open the container: API version, IOMMU model (type1v2, else type1);</li>
 *   <li>attach each device's group: refuse no-IOMMU groups, open, check viable, set the container; the
 *       first group sets the IOMMU model;</li>
 *   <li>add the groups to KVM's VFIO device;</li>
 *   <li>map guest RAM for DMA at IOVA = GPA, checked against reserved ranges, page size, mappings left
 *       and RLIMIT_MEMLOCK;</li>
 *   <li>open each device: fd, info, regions, IRQs, reset.</li>
 * </ol>
 *
 * A failure at any step undoes the steps before it and throws an exception naming the cause and the fix.
 * {@link #close()} tears everything down in reverse (see {@link VfioContainer#close()}); close it before
 * guest RAM.
 */
public final class VfioAssignment implements AutoCloseable {

    private final VfioContainer container;
    private final List<VfioDevice> devices;

    private VfioAssignment(VfioContainer container, List<VfioDevice> devices) {
        this.container = container;
        this.devices = devices;
    }

    /**
     * Assigns {@code addresses} (in that order) with guest RAM {@code ram} mapped for their DMA.
     *
     * @throws VfioException or {@code ErrnoException} naming the device or group and the fix
     */
    public static VfioAssignment attach(VfioKernel kernel, PciSysfs sysfs, GuestRam ram, List<PciBdf> addresses) {
        if (new HashSet<>(addresses).size() != addresses.size()) {
            throw new IllegalArgumentException("a device is listed twice in " + addresses);
        }
        List<HostPciDevice> hosts = addresses.stream().map(a -> HostDeviceCheck.assignable(sysfs, a)).toList();

        VfioContainer container = VfioContainer.open(kernel, sysfs);
        try {
            for (HostPciDevice host : hosts) {
                container.attachGroup(host.iommuGroup().orElseThrow());
            }
            container.registerWithKvm();
            container.mapGuestRam(ram);
            List<VfioDevice> devices = new ArrayList<>();
            for (HostPciDevice host : hosts) {
                VfioGroup group = container.group(host.iommuGroup().orElseThrow()).orElseThrow();
                devices.add(group.openDevice(host.address()));
            }
            return new VfioAssignment(container, List.copyOf(devices));
        } catch (RuntimeException e) {
            Closer.after(e).run(container::close);
            throw e;
        }
    }

    public VfioContainer container() {
        return container;
    }

    /** The devices, in the order they were asked for. */
    public List<VfioDevice> devices() {
        return devices;
    }

    @Override
    public void close() {
        container.close();
    }
}
