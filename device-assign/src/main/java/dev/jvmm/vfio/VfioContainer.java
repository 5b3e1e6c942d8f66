package dev.jvmm.vfio;

import static dev.jvmm.vfio.sys.VfioConstants.VFIO_API_VERSION;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_TYPE1_IOMMU;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_TYPE1v2_IOMMU;

import dev.jvmm.memory.ReservedIovaRegion;
import dev.jvmm.memory.sys.Errno;
import dev.jvmm.memory.sys.ErrnoException;
import dev.jvmm.memory.sys.GuestRam;
import dev.jvmm.vfio.host.HostIommuGroup;
import dev.jvmm.vfio.host.IommuGroupId;
import dev.jvmm.vfio.host.PciSysfs;
import dev.jvmm.vfio.kernel.IommuInfo;
import dev.jvmm.vfio.kernel.KernelHandle;
import dev.jvmm.vfio.kernel.VfioKernel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A VFIO container ({@code /dev/vfio/vfio}): one IOMMU context shared by the groups attached to it, into
 * which guest RAM is mapped once for all assigned devices.
 *
 * <p>Life cycle, in the order of the kernel's VFIO documentation: {@link #open} (API version, IOMMU
 * model), {@link #attachGroup} for every group (the first attach sets the IOMMU model),
 * {@link #registerWithKvm}, {@link #mapGuestRam}, then devices through {@link VfioGroup#openDevice}.
 *
 * <p>{@link #close()} tears down in the reverse order, which the kernel needs: devices first (reset, so
 * nothing DMAs any more), then the DMA mappings (while a group still holds the IOMMU model: detaching the
 * last group drops it), then each group (deleted from KVM, detached, closed), the KVM device and the
 * container. Guest RAM must outlive the container: close it afterwards.
 *
 * <p>Not thread-safe: set-up and teardown run on one thread.
 */
public final class VfioContainer implements AutoCloseable {

    private final VfioKernel kernel;
    private final PciSysfs sysfs;
    private final KernelHandle handle;
    private final int iommuType;
    private final Map<IommuGroupId, VfioGroup> groups = new LinkedHashMap<>();
    private boolean iommuSet;
    private KvmVfioDevice kvm;
    private VfioDma dma;
    private boolean closed;

    private VfioContainer(VfioKernel kernel, PciSysfs sysfs, KernelHandle handle, int iommuType) {
        this.kernel = kernel;
        this.sysfs = sysfs;
        this.handle = handle;
        this.iommuType = iommuType;
    }

    /** Opens a container, checks the API version and picks the IOMMU model: type1v2, else type1. */
    public static VfioContainer open(VfioKernel kernel, PciSysfs sysfs) {
        KernelHandle handle;
        try {
            handle = kernel.openContainer();
        } catch (ErrnoException e) {
            throw e.errno() == Errno.ENOENT
                    ? e.withFix("load VFIO with modprobe vfio-pci (the host kernel needs CONFIG_VFIO_PCI)")
                    : e;
        }
        try {
            int api = kernel.apiVersion(handle);
            if (api != VFIO_API_VERSION) {
                throw new VfioException("the host's VFIO speaks API version " + api + ", jvmm speaks version "
                        + VFIO_API_VERSION, "run a Linux kernel whose VFIO has API version " + VFIO_API_VERSION);
            }
            return new VfioContainer(kernel, sysfs, handle, iommuModel(kernel, handle));
        } catch (RuntimeException e) {
            Closer closer = Closer.after(e);
            closer.run(handle::close);
            throw e;
        }
    }

    private static int iommuModel(VfioKernel kernel, KernelHandle container) {
        if (kernel.checkExtension(container, VFIO_TYPE1v2_IOMMU)) {
            return VFIO_TYPE1v2_IOMMU;
        }
        if (kernel.checkExtension(container, VFIO_TYPE1_IOMMU)) {
            return VFIO_TYPE1_IOMMU;
        }
        throw new VfioException("the host's VFIO offers neither the type1v2 nor the type1 IOMMU model",
                "load vfio_iommu_type1 (modprobe vfio_iommu_type1) on a host with an IOMMU: " + HostAdvice.ENABLE_IOMMU);
    }

    /** {@code VFIO_TYPE1v2_IOMMU} or {@code VFIO_TYPE1_IOMMU}. */
    public int iommuType() {
        return iommuType;
    }

    /**
     * Attaches IOMMU group {@code id} (or returns it, if attached already): refuses a no-IOMMU group,
     * opens the group, checks that it is viable and sets this container; the first group's attach also
     * sets the IOMMU model. With KVM registration on, the group is added to KVM too.
     *
     * @throws VfioException for a no-IOMMU or non-viable group, naming the fix
     */
    public VfioGroup attachGroup(IommuGroupId id) {
        checkOpen();
        VfioGroup attached = groups.get(id);
        if (attached != null) {
            return attached;
        }
        if (dma != null) {
            throw new IllegalStateException("IOMMU group " + id + " comes after guest RAM was mapped: attach every"
                    + " group first, the mappings are planned around all their reserved regions");
        }
        HostIommuGroup host = sysfs.group(id).orElseThrow(() -> new VfioException("sysfs has no IOMMU group " + id
                + " (/sys/kernel/iommu_groups/" + id + ")", HostAdvice.ENABLE_IOMMU));
        refuseNoIommu(host);
        VfioGroup group = VfioGroup.attach(kernel, sysfs, host, handle);
        groups.put(id, group);
        try {
            if (!iommuSet) {
                kernel.setIommu(handle, iommuType);
                iommuSet = true;
            }
            if (kvm != null) {
                kvm.add(group);
            }
        } catch (RuntimeException e) {
            groups.remove(id);
            Closer.after(e).run(group::close);
            throw e;
        }
        return group;
    }

    /**
     * VFIO's no-IOMMU mode gives a device a group without an IOMMU behind it: the device's DMA is neither
     * translated nor contained, so mapping guest RAM "for" it would let it reach all of host memory.
     */
    private void refuseNoIommu(HostIommuGroup host) {
        if (host.noIommu() || sysfs.exists(sysfs.noIommuGroupNode(host.id()))) {
            String devices = host.devices().stream().map(d -> d.address().toString())
                    .collect(Collectors.joining(", "));
            throw new VfioException("IOMMU group " + host.id() + " (" + devices + ") is a VFIO no-IOMMU group"
                    + " (/dev/vfio/noiommu-" + host.id() + "): without an IOMMU there is no DMA translation and no"
                    + " isolation, so its devices could DMA anywhere in host memory, and jvmm will not map guest"
                    + " RAM for them", HostAdvice.ENABLE_IOMMU + ", without vfio.enable_unsafe_noiommu_mode");
        }
    }

    /** Creates KVM's VFIO device and adds every group attached so far; later groups are added as they attach. */
    public void registerWithKvm() {
        checkOpen();
        if (kvm != null) {
            return;
        }
        kvm = KvmVfioDevice.create(kernel);
        for (VfioGroup group : groups.values()) {
            kvm.add(group);
        }
    }

    /** {@code VFIO_IOMMU_GET_INFO}: page sizes, valid IOVA ranges, DMA mappings left. */
    public IommuInfo iommuInfo() {
        checkIommuSet("reading the IOMMU info");
        return kernel.iommuInfo(handle);
    }

    /**
     * Maps all of guest RAM for DMA at IOVA = GPA, after checking it against every reserved IOVA range
     * (the container's IOVA-range capability and each group's {@code reserved_regions}), the IOMMU page
     * size, the mappings the container has left and the locked-memory limit. Done once, after every group
     * is attached.
     */
    public VfioDma mapGuestRam(GuestRam ram) {
        checkIommuSet("mapping guest RAM");
        if (dma != null) {
            throw new IllegalStateException("guest RAM is mapped for DMA already");
        }
        IommuInfo info = kernel.iommuInfo(handle);
        dma = VfioDma.map(kernel, handle, info, reservedRegions(info), ram, List.copyOf(groups.keySet()));
        return dma;
    }

    private List<ReservedIovaRegion> reservedRegions(IommuInfo info) {
        List<ReservedIovaRegion> reserved = new ArrayList<>();
        info.validRanges().ifPresent(valid -> reserved.addAll(ReservedIovaRegion.outsideValidRanges(valid)));
        for (VfioGroup group : groups.values()) {
            reserved.addAll(group.host().reservedRegions());
        }
        return reserved;
    }

    /** The attached groups, in attach order. */
    public List<VfioGroup> groups() {
        return List.copyOf(groups.values());
    }

    public Optional<VfioGroup> group(IommuGroupId id) {
        return Optional.ofNullable(groups.get(id));
    }

    /** The DMA mappings of guest RAM, once {@link #mapGuestRam} ran. */
    public Optional<VfioDma> dma() {
        return Optional.ofNullable(dma);
    }

    public Optional<KvmVfioDevice> kvm() {
        return Optional.ofNullable(kvm);
    }

    public boolean isOpen() {
        return !closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the VFIO container is closed");
        }
    }

    private void checkIommuSet(String what) {
        checkOpen();
        if (!iommuSet) {
            throw new IllegalStateException(what + " needs the container's IOMMU model, which attaching the first"
                    + " group sets: attach a group first");
        }
    }

    /**
     * Devices (reset and closed), then DMA mappings, then groups (KVM delete, detach, close), the KVM
     * device and the container. Every step runs even if an earlier one fails; the first failure is thrown.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Closer closer = new Closer();
        List<VfioGroup> reversed = new ArrayList<>(groups.values()).reversed();
        for (VfioGroup group : reversed) {
            closer.run(group::closeDevices);
        }
        if (dma != null) {
            closer.run(dma::close);
        }
        for (VfioGroup group : reversed) {
            closer.run(group::close);
        }
        if (kvm != null) {
            closer.run(kvm::close);
        }
        closer.run(handle::close);
        closer.rethrow();
    }
}
