package dev.jvmm.vfio.kernel;

import dev.jvmm.memory.Hva;
import dev.jvmm.memory.Iova;
import dev.jvmm.memory.sys.ErrnoException;
import dev.jvmm.memory.sys.Fd;
import dev.jvmm.pci.PciBdf;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Every kernel operation device assignment makes, one method per VFIO/KVM ioctl (or syscall), in the
 * order linux/Documentation/driver-api/vfio.rst uses them. The real implementation
 * ({@code dev.jvmm.vfio.sys.SysVfioKernel}) issues the ioctls; tests use a fake that models the kernel's
 * checks and fails on demand. The attach sequence in {@code dev.jvmm.vfio} talks to nothing else.
 *
 * <p>Contract: a failed call throws {@link ErrnoException} carrying the errno the kernel gave (or would
 * give) and changes nothing. Handles passed in must come from this kernel and be open.
 */
public interface VfioKernel {

    // ---- container: /dev/vfio/vfio ----------------------------------------------------------------

    /** open("/dev/vfio/vfio"): a new, empty container. */
    KernelHandle openContainer();

    /** {@code VFIO_GET_API_VERSION}; {@code VFIO_API_VERSION} (0) is the only one there is. */
    int apiVersion(KernelHandle container);

    /** {@code VFIO_CHECK_EXTENSION}: whether the IOMMU model or extension is supported. */
    boolean checkExtension(KernelHandle container, int extension);

    /** {@code VFIO_SET_IOMMU}: needs at least one group in the container; done once. */
    void setIommu(KernelHandle container, int iommuType);

    /** {@code VFIO_IOMMU_GET_INFO} with its capability chain (re-issued with the {@code argsz} the kernel asks for). */
    IommuInfo iommuInfo(KernelHandle container);

    /** {@code VFIO_IOMMU_MAP_DMA}, readable and writable by the device: pins {@code size} bytes at {@code vaddr}. */
    void mapDma(KernelHandle container, Iova iova, Hva vaddr, long size);

    /** {@code VFIO_IOMMU_UNMAP_DMA}; returns the bytes the kernel unmapped. */
    long unmapDma(KernelHandle container, Iova iova, long size);

    /** {@code RLIMIT_MEMLOCK}, what is locked already, and {@code CAP_IPC_LOCK}: the budget MAP_DMA pins against. */
    Memlock memlock();

    // ---- group: /dev/vfio/N -----------------------------------------------------------------------

    /** open(node, O_RDWR) of a group node such as {@code /dev/vfio/26}; EBUSY when another process has it. */
    KernelHandle openGroup(Path node);

    /** {@code VFIO_GROUP_GET_STATUS}. */
    GroupStatus groupStatus(KernelHandle group);

    /** {@code VFIO_GROUP_SET_CONTAINER}. */
    void setContainer(KernelHandle group, KernelHandle container);

    /** {@code VFIO_GROUP_UNSET_CONTAINER}: EBUSY while a device fd of the group is open. */
    void unsetContainer(KernelHandle group);

    /** {@code VFIO_GROUP_GET_DEVICE_FD}: needs the container's IOMMU set. */
    KernelHandle deviceFd(KernelHandle group, PciBdf device);

    // ---- device -----------------------------------------------------------------------------------

    /** {@code VFIO_DEVICE_GET_INFO}. */
    DeviceInfo deviceInfo(KernelHandle device);

    /** {@code VFIO_DEVICE_GET_REGION_INFO} with its capability chain. */
    RegionInfo regionInfo(KernelHandle device, int index);

    /** {@code VFIO_DEVICE_GET_IRQ_INFO}. */
    IrqInfo irqInfo(KernelHandle device, int index);

    /**
     * {@code VFIO_DEVICE_SET_IRQS} with {@code DATA_EVENTFD | ACTION_TRIGGER}: vector {@code start + i}
     * signals {@code eventfds.get(i)}; an empty entry de-assigns that vector (-1).
     */
    void setIrqEventfds(KernelHandle device, int index, int start, List<Optional<Fd>> eventfds);

    /**
     * {@code VFIO_DEVICE_SET_IRQS} with {@code DATA_EVENTFD | ACTION_UNMASK}: a write to {@code eventfd}
     * unmasks vector {@code vector} inside the kernel (for INTx: KVM's resample eventfd, so the guest's EOI
     * unmasks the line without the VMM); an empty one removes it.
     */
    void setIrqUnmaskEventfd(KernelHandle device, int index, int vector, Optional<Fd> eventfd);

    /** {@code VFIO_DEVICE_SET_IRQS} with {@code DATA_NONE | ACTION_MASK} on {@code [start, start + count)}. */
    void maskIrq(KernelHandle device, int index, int start, int count);

    /** {@code VFIO_DEVICE_SET_IRQS} with {@code DATA_NONE | ACTION_UNMASK}. */
    void unmaskIrq(KernelHandle device, int index, int start, int count);

    /** {@code VFIO_DEVICE_SET_IRQS} with {@code DATA_NONE | ACTION_TRIGGER} and {@code count > 0}: fire the vectors (loopback). */
    void triggerIrq(KernelHandle device, int index, int start, int count);

    /** {@code VFIO_DEVICE_SET_IRQS} with {@code DATA_NONE | ACTION_TRIGGER} and {@code count = 0}: disable the index. */
    void disableIrq(KernelHandle device, int index);

    /** {@code VFIO_DEVICE_RESET}. */
    void reset(KernelHandle device);

    /** pread of {@code width} (1, 2, 4 or 8) bytes at {@code offset} in the device fd, little-endian, zero-extended. */
    long read(KernelHandle device, long offset, int width);

    /** pwrite of the low {@code width} bytes of {@code value} at {@code offset} in the device fd. */
    void write(KernelHandle device, long offset, int width, long value);

    /** mmap(MAP_SHARED) of {@code length} bytes at {@code offset} in the device fd. */
    RegionMapping mmap(KernelHandle device, long offset, long length, boolean writable);

    // ---- KVM-VFIO pseudo-device (KVM_DEV_TYPE_VFIO) -------------------------------------------------

    /** {@code KVM_CREATE_DEVICE(KVM_DEV_TYPE_VFIO)} on the VM this kernel serves. */
    KernelHandle createKvmVfioDevice();

    /** {@code KVM_SET_DEVICE_ATTR(KVM_DEV_VFIO_GROUP, KVM_DEV_VFIO_GROUP_ADD, &groupfd)}. */
    void kvmAddGroup(KernelHandle kvmDevice, KernelHandle group);

    /** {@code KVM_SET_DEVICE_ATTR(KVM_DEV_VFIO_GROUP, KVM_DEV_VFIO_GROUP_DEL, &groupfd)}. */
    void kvmDeleteGroup(KernelHandle kvmDevice, KernelHandle group);
}
