package dev.jvmm.vfio;

import static dev.jvmm.vfio.sys.VfioConstants.VFIO_PCI_CONFIG_REGION_INDEX;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_PCI_VGA_REGION_INDEX;

import dev.jvmm.memory.sys.Errno;
import dev.jvmm.memory.sys.ErrnoException;
import dev.jvmm.memory.sys.Fd;
import dev.jvmm.pci.PciBdf;
import dev.jvmm.vfio.config.DeviceConfigAccess;
import dev.jvmm.vfio.kernel.DeviceInfo;
import dev.jvmm.vfio.kernel.IrqInfo;
import dev.jvmm.vfio.kernel.KernelHandle;
import dev.jvmm.vfio.kernel.RegionInfo;
import dev.jvmm.vfio.kernel.VfioKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An assigned PCI function opened through VFIO: its regions (BARs, ROM, config space, device-specific
 * ones) and IRQ indexes as the kernel reported them at open, access to them, and control of its
 * interrupts. Created by {@link VfioGroup#openDevice}, which resets the device when it supports reset.
 *
 * <p>{@link #close()} unmaps the device's mmap'ed areas (KVM memory slots using them must go first),
 * resets the device when it supports reset, so it stops DMA before guest RAM is unmapped, and closes
 * the fd; VFIO disables the device's interrupts on that close.
 */
public final class VfioDevice implements AutoCloseable {

    private final VfioKernel kernel;
    private final VfioGroup group;
    private final PciBdf address;
    private final KernelHandle handle;
    private final DeviceInfo info;
    private final TreeMap<Integer, RegionInfo> regions;
    private final List<IrqInfo> irqs;
    private final List<MappedArea> mapped = new ArrayList<>();

    private VfioDevice(VfioKernel kernel, VfioGroup group, PciBdf address, KernelHandle handle, DeviceInfo info,
                       TreeMap<Integer, RegionInfo> regions, List<IrqInfo> irqs) {
        this.kernel = kernel;
        this.group = group;
        this.address = address;
        this.handle = handle;
        this.info = info;
        this.regions = regions;
        this.irqs = irqs;
    }

    /** Device fd, device info, every region, every IRQ index, reset. */
    static VfioDevice open(VfioKernel kernel, VfioGroup group, PciBdf address) {
        KernelHandle handle = deviceFd(kernel, group, address);
        try {
            DeviceInfo info = kernel.deviceInfo(handle);
            if (!info.isPci() || info.numRegions() <= VFIO_PCI_CONFIG_REGION_INDEX) {
                throw new VfioException("device " + address + " is not a vfio-pci device (flags 0x"
                        + Integer.toHexString(info.flags()) + ", " + info.numRegions() + " regions)",
                        "assign PCI functions bound to vfio-pci");
            }
            TreeMap<Integer, RegionInfo> regions = readRegions(kernel, handle, info, address);
            List<IrqInfo> irqs = new ArrayList<>();
            for (int i = 0; i < info.numIrqs(); i++) {
                irqs.add(kernel.irqInfo(handle, i));
            }
            if (info.canReset()) {
                resetNow(kernel, handle, address);
            }
            return new VfioDevice(kernel, group, address, handle, info, regions, List.copyOf(irqs));
        } catch (RuntimeException e) {
            Closer.after(e).run(handle::close);
            throw e;
        }
    }

    private static KernelHandle deviceFd(VfioKernel kernel, VfioGroup group, PciBdf address) {
        try {
            return kernel.deviceFd(group.handle(), address);
        } catch (ErrnoException e) {
            ErrnoException located = e.withContext(address.toString());
            throw switch (e.errno()) {
                case Errno.EBUSY -> located.withFix("device " + address + " is in use by another process: "
                        + HostAdvice.lsof(group.id()));
                case Errno.ENODEV -> located.withFix("device " + address + " is not a vfio-pci device of IOMMU group "
                        + group.id() + " now: check /sys/bus/pci/devices/" + address + "/driver and /sys/kernel/iommu_groups/"
                        + group.id() + "/devices");
                default -> located;
            };
        }
    }

    /**
     * Every region the device reports. vfio-pci numbers a VGA region for every device but answers EINVAL
     * for it on devices that do not decode VGA ranges: that region is left out.
     */
    private static TreeMap<Integer, RegionInfo> readRegions(VfioKernel kernel, KernelHandle handle, DeviceInfo info,
                                                            PciBdf address) {
        TreeMap<Integer, RegionInfo> regions = new TreeMap<>();
        for (int i = 0; i < info.numRegions(); i++) {
            try {
                regions.put(i, kernel.regionInfo(handle, i));
            } catch (ErrnoException e) {
                if (i == VFIO_PCI_VGA_REGION_INDEX && e.errno() == Errno.EINVAL) {
                    continue;
                }
                throw e.withContext(address + " region " + i);
            }
        }
        return regions;
    }

    private static void resetNow(VfioKernel kernel, KernelHandle handle, PciBdf address) {
        try {
            kernel.reset(handle);
        } catch (ErrnoException e) {
            throw e.withContext(address.toString());
        }
    }

    public PciBdf address() {
        return address;
    }

    public VfioGroup group() {
        return group;
    }

    public DeviceInfo info() {
        return info;
    }

    /** The regions, by index; a BAR the device does not implement has size 0. */
    public List<RegionInfo> regions() {
        return List.copyOf(regions.values());
    }

    public Optional<RegionInfo> region(int index) {
        return Optional.ofNullable(regions.get(index));
    }

    /** Region {@code index}'s size, 0 when absent: what {@code BarSpecs.probe} asks for. */
    public long regionSize(int index) {
        RegionInfo r = regions.get(index);
        return r == null ? 0 : r.size();
    }

    /** The IRQ indexes, by index (INTx, MSI, MSI-X, error, request for vfio-pci). */
    public List<IrqInfo> irqs() {
        return irqs;
    }

    /** The physical config space, for {@code VfioConfigSpace}. */
    public DeviceConfigAccess config() {
        return new VfioDeviceConfig(kernel, handle, address, requireRegion(VFIO_PCI_CONFIG_REGION_INDEX));
    }

    /** Reads {@code width} (1, 2, 4, 8) bytes at {@code offset} in region {@code index}: a trapped BAR access. */
    public long readRegion(int index, long offset, int width) {
        RegionInfo r = checkAccess(index, offset, width);
        if (!r.readable()) {
            throw new IllegalArgumentException("region " + index + " of " + address + " is not readable");
        }
        return kernel.read(handle, r.offset() + offset, width);
    }

    /** Writes the low {@code width} bytes of {@code value} at {@code offset} in region {@code index}. */
    public void writeRegion(int index, long offset, int width, long value) {
        RegionInfo r = checkAccess(index, offset, width);
        if (!r.writable()) {
            throw new IllegalArgumentException("region " + index + " of " + address + " is not writable");
        }
        kernel.write(handle, r.offset() + offset, width, value);
    }

    private RegionInfo checkAccess(int index, long offset, int width) {
        RegionInfo r = requireRegion(index);
        if ((width != 1 && width != 2 && width != 4 && width != 8) || offset < 0 || offset > r.size() - width) {
            throw new IllegalArgumentException(width + "-byte access at 0x" + Long.toHexString(offset) + " of region "
                    + index + " of " + address + ": widths are 1, 2, 4 or 8 within its " + r.size() + " bytes");
        }
        return r;
    }

    /**
     * mmaps every mmap-able area of region {@code index} (the sparse areas, or the whole region); none
     * when the region must be trapped. The device owns the mappings and unmaps them on close.
     */
    public List<MappedArea> mmap(int index) {
        RegionInfo r = requireRegion(index);
        List<MappedArea> areas = new ArrayList<>();
        for (RegionInfo.Area area : r.mmapAreas()) {
            MappedArea m = new MappedArea(index, area,
                    kernel.mmap(handle, r.offset() + area.offset(), area.size(), r.writable()));
            mapped.add(m);
            areas.add(m);
        }
        return List.copyOf(areas);
    }

    /** Vectors 0..n-1 of IRQ {@code index} signal the given eventfds ({@code VFIO_IRQ_SET_DATA_EVENTFD}). */
    public void enableIrqEventfds(int index, List<Fd> eventfds) {
        checkVectors(index, 0, eventfds.size());
        kernel.setIrqEventfds(handle, index, 0, eventfds.stream().map(Optional::of).toList());
    }

    /** Vector {@code vector} of IRQ {@code index} signals {@code eventfd}, or nothing when empty. */
    public void setIrqEventfd(int index, int vector, Optional<Fd> eventfd) {
        checkVectors(index, vector, 1);
        kernel.setIrqEventfds(handle, index, vector, List.of(eventfd));
    }

    /**
     * A write to {@code eventfd} unmasks vector {@code vector} of IRQ {@code index} in the kernel, or no
     * eventfd does when empty ({@code VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_UNMASK}). For INTx,
     * whose vector the kernel masks when it fires: give it KVM's resample eventfd.
     */
    public void setIrqUnmaskEventfd(int index, int vector, Optional<Fd> eventfd) {
        checkVectors(index, vector, 1);
        kernel.setIrqUnmaskEventfd(handle, index, vector, eventfd);
    }

    public void maskIrq(int index, int vector) {
        checkVectors(index, vector, 1);
        kernel.maskIrq(handle, index, vector, 1);
    }

    public void unmaskIrq(int index, int vector) {
        checkVectors(index, vector, 1);
        kernel.unmaskIrq(handle, index, vector, 1);
    }

    /** Fires the vector from the kernel side, as if the device had: for tests of the interrupt path. */
    public void triggerIrq(int index, int vector) {
        checkVectors(index, vector, 1);
        kernel.triggerIrq(handle, index, vector, 1);
    }

    /** Disables every vector of IRQ {@code index}. */
    public void disableIrq(int index) {
        checkVectors(index, 0, 0);
        kernel.disableIrq(handle, index);
    }

    private void checkVectors(int index, int start, int count) {
        if (index < 0 || index >= irqs.size()) {
            throw new IllegalArgumentException("IRQ index " + index + " of " + address + " does not exist (it has "
                    + irqs.size() + ")");
        }
        int available = irqs.get(index).count();
        if (start < 0 || count < 0 || start + count > available) {
            throw new IllegalArgumentException("vectors " + start + ".." + (start + count - 1) + " of IRQ index "
                    + index + " of " + address + ": it has " + available);
        }
    }

    /** {@code VFIO_DEVICE_RESET}, e.g. when the guest resets. */
    public void reset() {
        if (!info.canReset()) {
            throw new VfioException("device " + address + " offers no reset VFIO can do (no FLR, PM or bus reset)",
                    "reset the guest without it, or assign a device that supports function-level reset");
        }
        resetNow(kernel, handle, address);
    }

    private RegionInfo requireRegion(int index) {
        RegionInfo r = regions.get(index);
        if (r == null) {
            throw new IllegalArgumentException("device " + address + " has no region " + index);
        }
        return r;
    }

    public boolean isOpen() {
        return handle.isOpen();
    }

    /** Unmaps mmap'ed areas, resets (when supported), closes the fd. */
    @Override
    public void close() {
        if (!handle.isOpen()) {
            return;
        }
        Closer closer = new Closer();
        for (MappedArea m : mapped.reversed()) {
            closer.run(m.mapping()::close);
        }
        mapped.clear();
        if (info.canReset()) {
            closer.run(() -> resetNow(kernel, handle, address));
        }
        closer.run(handle::close);
        group.deviceClosed(this);
        closer.rethrow();
    }

    @Override
    public String toString() {
        return "VfioDevice[" + address + " in IOMMU group " + group.id() + "]";
    }
}
