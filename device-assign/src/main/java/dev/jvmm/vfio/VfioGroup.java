package dev.jvmm.vfio;

import dev.jvmm.memory.sys.Errno;
import dev.jvmm.memory.sys.ErrnoException;
import dev.jvmm.pci.PciBdf;
import dev.jvmm.vfio.host.HostIommuGroup;
import dev.jvmm.vfio.host.HostPciDevice;
import dev.jvmm.vfio.host.IommuGroupId;
import dev.jvmm.vfio.host.PciSysfs;
import dev.jvmm.vfio.kernel.GroupStatus;
import dev.jvmm.vfio.kernel.KernelHandle;
import dev.jvmm.vfio.kernel.VfioKernel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An IOMMU group opened through VFIO ({@code /dev/vfio/N}) and attached to a {@link VfioContainer}: the
 * unit of isolation, since the IOMMU cannot tell the devices of one group apart. Holds the devices of the
 * group that are open.
 *
 * <p>{@link #close()} closes the open devices first, deletes the group from KVM, detaches it from the
 * container and closes it. Created by {@link VfioContainer#attachGroup}.
 */
public final class VfioGroup implements AutoCloseable {

    private final VfioKernel kernel;
    private final HostIommuGroup host;
    private final Path node;
    private final KernelHandle handle;
    private final Map<PciBdf, VfioDevice> devices = new LinkedHashMap<>();
    private KvmVfioDevice kvm;

    private VfioGroup(VfioKernel kernel, HostIommuGroup host, Path node, KernelHandle handle) {
        this.kernel = kernel;
        this.host = host;
        this.node = node;
        this.handle = handle;
    }

    /** Open the group node, check the group is viable, set the container. */
    static VfioGroup attach(VfioKernel kernel, PciSysfs sysfs, HostIommuGroup host, KernelHandle container) {
        Path node = sysfs.vfioGroupNode(host.id());
        KernelHandle handle = open(kernel, host.id(), node);
        try {
            GroupStatus status = kernel.groupStatus(handle);
            if (!status.viable()) {
                throw notViable(sysfs, host);
            }
            kernel.setContainer(handle, container);
            return new VfioGroup(kernel, host, node, handle);
        } catch (RuntimeException e) {
            Closer.after(e).run(handle::close);
            throw e;
        }
    }

    private static KernelHandle open(VfioKernel kernel, IommuGroupId id, Path node) {
        try {
            return kernel.openGroup(node);
        } catch (ErrnoException e) {
            throw switch (e.errno()) {
                case Errno.EBUSY -> e.withFix("IOMMU group " + id + " is in use by another process: "
                        + HostAdvice.lsof(id));
                case Errno.ENOENT -> e.withFix("VFIO has no node for IOMMU group " + id + ": load vfio-pci"
                        + " (modprobe vfio-pci) and bind the group's devices to it");
                default -> e;
            };
        }
    }

    /**
     * The group is not viable: some device in it is bound to a host driver. Names every such device, as
     * sysfs shows it now, with the commands that rebind it.
     */
    private static VfioException notViable(PciSysfs sysfs, HostIommuGroup attachTime) {
        IommuGroupId id = attachTime.id();
        HostIommuGroup now = sysfs.group(id).orElse(attachTime);
        String problem = "IOMMU group " + id + " is not viable: VFIO needs every device in it bound to vfio-pci"
                + " or to no driver, since the IOMMU cannot isolate the devices of one group from each other";
        List<HostPciDevice> blocking = now.devicesBlockingViability();
        if (blocking.isEmpty()) {
            return new VfioException(problem, "sysfs now shows every device of /sys/kernel/iommu_groups/" + id
                    + "/devices bound to vfio-pci, pci-stub or no driver: retry, and read dmesg if it fails again");
        }
        return new VfioException(problem, blocking.stream()
                .map(d -> d.address() + " " + HostAdvice.driverState(d) + " and shares IOMMU group " + id + ": "
                        + HostAdvice.bindToVfioPci(d))
                .collect(Collectors.joining(". ")));
    }

    /**
     * Opens device {@code address} of this group ({@code VFIO_GROUP_GET_DEVICE_FD}) and reads its regions
     * and IRQs; resets it when it supports reset.
     */
    public VfioDevice openDevice(PciBdf address) {
        if (!handle.isOpen()) {
            throw new IllegalStateException("IOMMU group " + id() + " is closed");
        }
        if (devices.containsKey(address)) {
            throw new IllegalStateException("device " + address + " is open already");
        }
        VfioDevice device = VfioDevice.open(kernel, this, address);
        devices.put(address, device);
        return device;
    }

    public IommuGroupId id() {
        return host.id();
    }

    /** {@code /dev/vfio/N}. */
    public Path node() {
        return node;
    }

    /** sysfs's view of the group when it was attached, reserved regions included. */
    public HostIommuGroup host() {
        return host;
    }

    /** The open devices, in opening order. */
    public List<VfioDevice> devices() {
        return List.copyOf(devices.values());
    }

    public boolean isOpen() {
        return handle.isOpen();
    }

    KernelHandle handle() {
        return handle;
    }

    void registeredWith(KvmVfioDevice device) {
        this.kvm = device;
    }

    void deviceClosed(VfioDevice device) {
        devices.remove(device.address());
    }

    /** Closes the open devices of the group, last opened first. */
    void closeDevices() {
        Closer closer = new Closer();
        for (VfioDevice device : new ArrayList<>(devices.values()).reversed()) {
            closer.run(device::close);
        }
        closer.rethrow();
    }

    /** Devices, then KVM's reference, then the container attachment, then the fd. */
    @Override
    public void close() {
        if (!handle.isOpen()) {
            return;
        }
        Closer closer = new Closer();
        closer.run(this::closeDevices);
        if (kvm != null) {
            KvmVfioDevice registered = kvm;
            closer.run(() -> registered.remove(this));
        }
        closer.run(() -> kernel.unsetContainer(handle));
        closer.run(handle::close);
        closer.rethrow();
    }

    @Override
    public String toString() {
        return "VfioGroup[" + id() + " " + node + ", devices " + devices.keySet() + "]";
    }
}
