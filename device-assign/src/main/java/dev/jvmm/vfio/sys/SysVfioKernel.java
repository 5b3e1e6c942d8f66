package dev.jvmm.vfio.sys;

import static dev.jvmm.vfio.sys.VfioConstants.VFIO_DMA_MAP_FLAG_READ;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_DMA_MAP_FLAG_WRITE;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_IRQ_SET_ACTION_MASK;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_IRQ_SET_ACTION_TRIGGER;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_IRQ_SET_ACTION_UNMASK;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_IRQ_SET_DATA_NONE;
import static dev.jvmm.vfio.sys.VfioIoctls.*;

import dev.jvmm.kvm.sys.KvmConstants;
import dev.jvmm.kvm.sys.KvmDeviceAttr;
import dev.jvmm.kvm.sys.KvmIoctls;
import dev.jvmm.kvm.sys.VmFd;
import dev.jvmm.memory.Hva;
import dev.jvmm.memory.Iova;
import dev.jvmm.memory.sys.Errno;
import dev.jvmm.memory.sys.ErrnoException;
import dev.jvmm.memory.sys.Fd;
import dev.jvmm.memory.sys.Posix;
import dev.jvmm.pci.PciBdf;
import dev.jvmm.vfio.kernel.DeviceInfo;
import dev.jvmm.vfio.kernel.GroupStatus;
import dev.jvmm.vfio.kernel.IommuInfo;
import dev.jvmm.vfio.kernel.IrqInfo;
import dev.jvmm.vfio.kernel.KernelHandle;
import dev.jvmm.vfio.kernel.Memlock;
import dev.jvmm.vfio.kernel.RegionInfo;
import dev.jvmm.vfio.kernel.RegionMapping;
import dev.jvmm.vfio.kernel.VfioKernel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * {@link VfioKernel} on the running kernel: each method is one ioctl (or open, pread, pwrite, mmap)
 * through {@link Posix}, its struct from this package. A failure throws {@link ErrnoException} named after
 * the ioctl, with the handle's name as context.
 *
 * <p>INFO ioctls that return capability chains are issued twice when needed: the kernel raises
 * {@code argsz} to the size the chain needs when the buffer was too small.
 */
public final class SysVfioKernel implements VfioKernel {

    /** The container node. */
    public static final String CONTAINER_NODE = "/dev/vfio/vfio";

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final int CAP_IPC_LOCK = 14;

    private final VmFd vm;
    private final Path procSelfStatus;

    private SysVfioKernel(VmFd vm, Path procSelfStatus) {
        this.vm = vm;
        this.procSelfStatus = procSelfStatus;
    }

    /** The kernel, serving VM {@code vm} (whose KVM-VFIO device the groups are added to). */
    public static SysVfioKernel forVm(VmFd vm) {
        return new SysVfioKernel(vm, Path.of("/proc/self/status"));
    }

    // ---- container ------------------------------------------------------------------------------

    @Override
    public KernelHandle openContainer() {
        return new SysHandle(Posix.open(CONTAINER_NODE, Posix.O_RDWR));
    }

    @Override
    public int apiVersion(KernelHandle container) {
        return Posix.ioctl(fd(container), VFIO_GET_API_VERSION, 0L, "VFIO_GET_API_VERSION");
    }

    @Override
    public boolean checkExtension(KernelHandle container, int extension) {
        return Posix.ioctl(fd(container), VFIO_CHECK_EXTENSION, extension, "VFIO_CHECK_EXTENSION") > 0;
    }

    @Override
    public void setIommu(KernelHandle container, int iommuType) {
        Posix.ioctl(fd(container), VFIO_SET_IOMMU, iommuType, "VFIO_SET_IOMMU");
    }

    @Override
    public IommuInfo iommuInfo(KernelHandle container) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = withCaps(fd(container), VFIO_IOMMU_GET_INFO, "VFIO_IOMMU_GET_INFO",
                    (int) VfioIommuType1Info.LAYOUT.byteSize(), size -> VfioIommuType1Info.allocate(arena, size),
                    VfioIommuType1Info::argsz);
            return VfioInfoDecoder.iommuInfo(info);
        }
    }

    @Override
    public void mapDma(KernelHandle container, Iova iova, Hva vaddr, long size) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment map = VfioIommuType1DmaMap.allocate(arena);
            VfioIommuType1DmaMap.setFlags(map, VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE);
            VfioIommuType1DmaMap.setVaddr(map, vaddr.value());
            VfioIommuType1DmaMap.setIova(map, iova.value());
            VfioIommuType1DmaMap.setSize(map, size);
            Posix.ioctl(fd(container), VFIO_IOMMU_MAP_DMA, map, "VFIO_IOMMU_MAP_DMA");
        }
    }

    @Override
    public long unmapDma(KernelHandle container, Iova iova, long size) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment unmap = VfioIommuType1DmaUnmap.allocate(arena);
            VfioIommuType1DmaUnmap.setIova(unmap, iova.value());
            VfioIommuType1DmaUnmap.setSize(unmap, size);
            Posix.ioctl(fd(container), VFIO_IOMMU_UNMAP_DMA, unmap, "VFIO_IOMMU_UNMAP_DMA");
            return VfioIommuType1DmaUnmap.size(unmap);
        }
    }

    @Override
    public Memlock memlock() {
        Posix.Rlimit limit = Posix.getrlimit(Posix.RLIMIT_MEMLOCK);
        ProcStatus status = ProcStatus.read(procSelfStatus);
        return new Memlock(limit.current() == Posix.RLIM_INFINITY ? Memlock.UNLIMITED : limit.current(),
                status.lockedBytes(), status.hasCapability(CAP_IPC_LOCK));
    }

    // ---- group ----------------------------------------------------------------------------------

    @Override
    public KernelHandle openGroup(Path node) {
        return new SysHandle(Posix.open(node.toString(), Posix.O_RDWR));
    }

    @Override
    public GroupStatus groupStatus(KernelHandle group) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = VfioGroupStatus.allocate(arena);
            Posix.ioctl(fd(group), VFIO_GROUP_GET_STATUS, status, "VFIO_GROUP_GET_STATUS");
            return new GroupStatus(VfioGroupStatus.flags(status));
        }
    }

    @Override
    public void setContainer(KernelHandle group, KernelHandle container) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment containerFd = arena.allocateFrom(INT, fd(container).raw());
            Posix.ioctl(fd(group), VFIO_GROUP_SET_CONTAINER, containerFd, "VFIO_GROUP_SET_CONTAINER");
        }
    }

    @Override
    public void unsetContainer(KernelHandle group) {
        Posix.ioctl(fd(group), VFIO_GROUP_UNSET_CONTAINER, 0L, "VFIO_GROUP_UNSET_CONTAINER");
    }

    @Override
    public KernelHandle deviceFd(KernelHandle group, PciBdf device) {
        try (Arena arena = Arena.ofConfined()) {
            int r = Posix.ioctl(fd(group), VFIO_GROUP_GET_DEVICE_FD, arena.allocateFrom(device.toString()),
                    "VFIO_GROUP_GET_DEVICE_FD");
            return new SysHandle(Fd.adopt(r, device.toString()));
        }
    }

    // ---- device ---------------------------------------------------------------------------------

    @Override
    public DeviceInfo deviceInfo(KernelHandle device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = VfioDeviceInfo.allocate(arena);
            Posix.ioctl(fd(device), VFIO_DEVICE_GET_INFO, info, "VFIO_DEVICE_GET_INFO");
            return new DeviceInfo(VfioDeviceInfo.flags(info), VfioDeviceInfo.numRegions(info),
                    VfioDeviceInfo.numIrqs(info));
        }
    }

    @Override
    public RegionInfo regionInfo(KernelHandle device, int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = withCaps(fd(device), VFIO_DEVICE_GET_REGION_INFO, "VFIO_DEVICE_GET_REGION_INFO",
                    (int) VfioRegionInfo.LAYOUT.byteSize(), size -> VfioRegionInfo.allocate(arena, index, size),
                    VfioRegionInfo::argsz);
            return VfioInfoDecoder.regionInfo(info);
        }
    }

    @Override
    public IrqInfo irqInfo(KernelHandle device, int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = VfioIrqInfo.allocate(arena, index);
            Posix.ioctl(fd(device), VFIO_DEVICE_GET_IRQ_INFO, info, "VFIO_DEVICE_GET_IRQ_INFO");
            return new IrqInfo(VfioIrqInfo.index(info), VfioIrqInfo.flags(info), VfioIrqInfo.count(info));
        }
    }

    @Override
    public void setIrqEventfds(KernelHandle device, int index, int start, List<Optional<Fd>> eventfds) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = VfioIrqSet.allocateEventfds(arena, eventfds.size());
            VfioIrqSet.setFlags(set, VfioIrqSet.flags(set) | VFIO_IRQ_SET_ACTION_TRIGGER);
            VfioIrqSet.setIndex(set, index);
            VfioIrqSet.setStart(set, start);
            for (int i = 0; i < eventfds.size(); i++) {
                VfioIrqSet.setEventfd(set, i, eventfds.get(i).map(Fd::raw).orElse(-1));
            }
            Posix.ioctl(fd(device), VFIO_DEVICE_SET_IRQS, set, "VFIO_DEVICE_SET_IRQS(eventfds)");
        }
    }

    @Override
    public void setIrqUnmaskEventfd(KernelHandle device, int index, int vector, Optional<Fd> eventfd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = VfioIrqSet.allocateEventfds(arena, 1);
            VfioIrqSet.setFlags(set, VfioIrqSet.flags(set) | VFIO_IRQ_SET_ACTION_UNMASK);
            VfioIrqSet.setIndex(set, index);
            VfioIrqSet.setStart(set, vector);
            VfioIrqSet.setEventfd(set, 0, eventfd.map(Fd::raw).orElse(-1));
            Posix.ioctl(fd(device), VFIO_DEVICE_SET_IRQS, set, "VFIO_DEVICE_SET_IRQS(unmask eventfd)");
        }
    }

    @Override
    public void maskIrq(KernelHandle device, int index, int start, int count) {
        setIrqsNone(device, VFIO_IRQ_SET_ACTION_MASK, index, start, count, "VFIO_DEVICE_SET_IRQS(mask)");
    }

    @Override
    public void unmaskIrq(KernelHandle device, int index, int start, int count) {
        setIrqsNone(device, VFIO_IRQ_SET_ACTION_UNMASK, index, start, count, "VFIO_DEVICE_SET_IRQS(unmask)");
    }

    @Override
    public void triggerIrq(KernelHandle device, int index, int start, int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("triggering needs at least one vector; disableIrq disables the index");
        }
        setIrqsNone(device, VFIO_IRQ_SET_ACTION_TRIGGER, index, start, count, "VFIO_DEVICE_SET_IRQS(trigger)");
    }

    @Override
    public void disableIrq(KernelHandle device, int index) {
        setIrqsNone(device, VFIO_IRQ_SET_ACTION_TRIGGER, index, 0, 0, "VFIO_DEVICE_SET_IRQS(disable)");
    }

    private void setIrqsNone(KernelHandle device, int action, int index, int start, int count, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = VfioIrqSet.allocate(arena);
            VfioIrqSet.setFlags(set, VFIO_IRQ_SET_DATA_NONE | action);
            VfioIrqSet.setIndex(set, index);
            VfioIrqSet.setStart(set, start);
            VfioIrqSet.setCount(set, count);
            Posix.ioctl(fd(device), VFIO_DEVICE_SET_IRQS, set, name);
        }
    }

    @Override
    public void reset(KernelHandle device) {
        Posix.ioctl(fd(device), VFIO_DEVICE_RESET, 0L, "VFIO_DEVICE_RESET");
    }

    @Override
    public long read(KernelHandle device, long offset, int width) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(8, 8);
            long n = Posix.pread(fd(device), buf.asSlice(0, checkWidth(width)), offset);
            if (n != width) {
                throw shortTransfer("pread", device, offset, n, width);
            }
            return buf.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    @Override
    public void write(KernelHandle device, long offset, int width, long value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(8, 8);
            buf.set(ValueLayout.JAVA_LONG, 0, value);
            long n = Posix.pwrite(fd(device), buf.asSlice(0, checkWidth(width)), offset);
            if (n != width) {
                throw shortTransfer("pwrite", device, offset, n, width);
            }
        }
    }

    private static int checkWidth(int width) {
        if (width != 1 && width != 2 && width != 4 && width != 8) {
            throw new IllegalArgumentException("device accesses are 1, 2, 4 or 8 bytes, not " + width);
        }
        return width;
    }

    private static ErrnoException shortTransfer(String op, KernelHandle device, long offset, long done, int width) {
        return new ErrnoException(Errno.EIO, op, device.name() + " at offset 0x" + Long.toHexString(offset)
                + ": " + done + " of " + width + " bytes", null);
    }

    @Override
    public RegionMapping mmap(KernelHandle device, long offset, long length, boolean writable) {
        int prot = Posix.PROT_READ | (writable ? Posix.PROT_WRITE : 0);
        return new SysRegionMapping(Posix.mmap(length, prot, Posix.MAP_SHARED, fd(device), offset,
                device.name() + " region at 0x" + Long.toHexString(offset)));
    }

    // ---- KVM-VFIO device ------------------------------------------------------------------------

    @Override
    public KernelHandle createKvmVfioDevice() {
        return new SysHandle(vm.createDevice(KvmConstants.KVM_DEV_TYPE_VFIO, "kvm-vfio"));
    }

    @Override
    public void kvmAddGroup(KernelHandle kvmDevice, KernelHandle group) {
        kvmVfioGroup(kvmDevice, group, KvmConstants.KVM_DEV_VFIO_GROUP_ADD, "KVM_SET_DEVICE_ATTR(KVM_DEV_VFIO_GROUP_ADD)");
    }

    @Override
    public void kvmDeleteGroup(KernelHandle kvmDevice, KernelHandle group) {
        kvmVfioGroup(kvmDevice, group, KvmConstants.KVM_DEV_VFIO_GROUP_DEL, "KVM_SET_DEVICE_ATTR(KVM_DEV_VFIO_GROUP_DEL)");
    }

    private void kvmVfioGroup(KernelHandle kvmDevice, KernelHandle group, int attr, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment groupFd = arena.allocateFrom(INT, fd(group).raw());
            MemorySegment s = arena.allocate(KvmDeviceAttr.LAYOUT);
            KvmDeviceAttr.setGroup(s, KvmConstants.KVM_DEV_VFIO_GROUP);
            KvmDeviceAttr.setAttr(s, attr);
            KvmDeviceAttr.setAddr(s, groupFd);
            Posix.ioctl(fd(kvmDevice), KvmIoctls.KVM_SET_DEVICE_ATTR, s, name);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    /**
     * Issues an INFO ioctl whose struct may be followed by a capability chain: with the struct's own size
     * first and, when the kernel raised {@code argsz}, again with a buffer that large.
     */
    private static MemorySegment withCaps(Fd fd, long request, String name, int structSize,
                                          IntFunction<MemorySegment> allocate,
                                          java.util.function.ToIntFunction<MemorySegment> argsz) {
        MemorySegment info = allocate.apply(structSize);
        Posix.ioctl(fd, request, info, name);
        int needed = argsz.applyAsInt(info);
        if (needed > structSize) {
            info = allocate.apply(needed);
            Posix.ioctl(fd, request, info, name);
            if (argsz.applyAsInt(info) > needed) {
                throw new IllegalStateException(name + " on " + fd.name() + " asked for " + needed + " bytes, then for "
                        + argsz.applyAsInt(info) + ": the capability chain changed between two calls");
            }
        }
        return info;
    }

    private static Fd fd(KernelHandle handle) {
        if (!(handle instanceof SysHandle h)) {
            throw new IllegalArgumentException(handle + " is not a handle of the running kernel");
        }
        return h.fd();
    }
}
