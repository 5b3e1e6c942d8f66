package dev.jvmm.vfio.fake;

import static dev.jvmm.vfio.sys.VfioConstants.*;

import dev.jvmm.memory.Hva;
import dev.jvmm.memory.Iova;
import dev.jvmm.memory.ValidIovaRange;
import dev.jvmm.memory.sys.Errno;
import dev.jvmm.memory.sys.ErrnoException;
import dev.jvmm.memory.sys.Fd;
import dev.jvmm.pci.PciBdf;
import dev.jvmm.vfio.fake.FakeHandle.Kind;
import dev.jvmm.vfio.kernel.DeviceInfo;
import dev.jvmm.vfio.kernel.GroupStatus;
import dev.jvmm.vfio.kernel.IommuInfo;
import dev.jvmm.vfio.kernel.IrqInfo;
import dev.jvmm.vfio.kernel.KernelHandle;
import dev.jvmm.vfio.kernel.Memlock;
import dev.jvmm.vfio.kernel.RegionInfo;
import dev.jvmm.vfio.kernel.RegionMapping;
import dev.jvmm.vfio.kernel.VfioKernel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A model of the kernel behind {@link VfioKernel}: VFIO groups with viability computed from the drivers in
 * {@link FakeHost}, containers with type1 IOMMUs ({@link FakeIommu}) and locked-memory accounting against
 * a configurable {@code RLIMIT_MEMLOCK} (ENOMEM, as type1 answers), devices (EBUSY when open elsewhere),
 * KVM's VFIO device, and descriptor release as the kernel does it (closing the last group drops the
 * IOMMU and its mappings).
 *
 * <p>Every call is logged ({@link #calls()}, one line: the ioctl or syscall and its object); a test can
 * fail the next call whose line starts with a prefix ({@link #failWhen}) or run an action before it
 * ({@link #beforeCall}). Teardown that the real kernel would tolerate but that breaks the documented order
 * (a group closed before its devices or while KVM holds it, a container closed with groups or mappings)
 * is recorded in {@link #violations()}.
 */
public final class FakeVfioKernel implements VfioKernel {

    private record Injection(String prefix, int errno, Runnable action) {}

    static final class GroupState {
        final int id;
        final FakeHandle handle;
        FakeIommu container;
        final Set<FakeHandle> devices = new LinkedHashSet<>();

        GroupState(int id, FakeHandle handle) {
            this.id = id;
            this.handle = handle;
        }
    }

    private final FakeHost host;
    private final FakeDeviceCalls deviceCalls = new FakeDeviceCalls(this);
    private final List<String> calls = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final List<Injection> injections = new ArrayList<>();
    private final List<FakeHandle> handles = new ArrayList<>();
    private final Map<FakeHandle, FakeIommu> containers = new LinkedHashMap<>();
    private final Map<Integer, GroupState> groups = new TreeMap<>();
    private final Map<FakeHandle, FakeFunction> devices = new LinkedHashMap<>();
    private final Map<FakeHandle, Set<Integer>> kvmDevices = new LinkedHashMap<>();
    private final List<FakeRegionMapping> regionMappings = new ArrayList<>();
    final Map<PciBdf, Map<Integer, String[]>> eventfds = new HashMap<>();
    private int nextFd = 3;
    private long nextHva = 0x7f00_0000_0000L;

    private int apiVersion = VFIO_API_VERSION;
    private boolean type1v2 = true;
    private boolean type1 = true;
    private long pageSizes = 0x4020_1000L; // 4 KiB, 2 MiB, 1 GiB
    private List<ValidIovaRange> validRanges = List.of(ValidIovaRange.of(0, 0xfedf_ffffL),
            ValidIovaRange.of(0xfef0_0000L, (1L << 48) - 1));
    private boolean reportCaps = true;
    private long dmaEntryLimit = 65535;
    private long memlockLimit = Memlock.UNLIMITED;
    private boolean capIpcLock;
    private long lockedElsewhere;

    public FakeVfioKernel(FakeHost host) {
        this.host = host;
    }

    // ---- knobs and injection ---------------------------------------------------------------------

    public FakeVfioKernel apiVersion(int v) { apiVersion = v; return this; }
    public FakeVfioKernel type1v2(boolean on) { type1v2 = on; return this; }
    public FakeVfioKernel type1(boolean on) { type1 = on; return this; }
    public FakeVfioKernel pageSizes(long bitmap) { pageSizes = bitmap; return this; }
    public FakeVfioKernel validRanges(List<ValidIovaRange> ranges) { validRanges = List.copyOf(ranges); return this; }
    public FakeVfioKernel reportCaps(boolean on) { reportCaps = on; return this; }
    public FakeVfioKernel dmaEntryLimit(long n) { dmaEntryLimit = n; return this; }
    public FakeVfioKernel memlockLimit(long bytes) { memlockLimit = bytes; return this; }
    public FakeVfioKernel capIpcLock(boolean on) { capIpcLock = on; return this; }
    /** Memory the process has locked by other means (mlock, another container). */
    public FakeVfioKernel lockElsewhere(long bytes) { lockedElsewhere = bytes; return this; }

    /** The next call whose log line starts with {@code prefix} fails with {@code errno}, changing nothing. */
    public FakeVfioKernel failWhen(String prefix, int errno) {
        injections.add(new Injection(prefix, errno, null));
        return this;
    }

    /** Runs {@code action} just before the next call whose log line starts with {@code prefix}. */
    public FakeVfioKernel beforeCall(String prefix, Runnable action) {
        injections.add(new Injection(prefix, 0, action));
        return this;
    }

    // ---- inspection -------------------------------------------------------------------------------

    public List<String> calls() { return List.copyOf(calls); }
    public void clearCalls() { calls.clear(); }
    public List<String> violations() { return List.copyOf(violations); }

    /** Names of the descriptors still open. */
    public List<String> openHandles() {
        return handles.stream().filter(FakeHandle::isOpen).map(h -> h.name).toList();
    }

    /** Every DMA mapping in every container, as {@code iova=0x.. size=0x..}. */
    public List<String> dmaMappings() {
        return containers.values().stream().flatMap(c -> c.mappings.values().stream())
                .map(m -> "iova=0x" + Long.toHexString(m.iova()) + " size=0x" + Long.toHexString(m.size())).toList();
    }

    /** The groups KVM's VFIO devices hold. */
    public List<Integer> kvmGroups() {
        return kvmDevices.values().stream().flatMap(Set::stream).toList();
    }

    public List<String> openRegionMappings() {
        return regionMappings.stream().filter(FakeRegionMapping::isOpen).map(FakeRegionMapping::toString).toList();
    }

    /** Bytes type1 has pinned for this process. */
    public long pinnedBytes() {
        return containers.values().stream().mapToLong(FakeIommu::mappedBytes).sum();
    }

    /** The eventfd names vectors of IRQ {@code index} of {@code device} signal; null entries are unassigned. */
    public List<String> eventfds(PciBdf device, int index) {
        String[] v = eventfds.getOrDefault(device, Map.of()).get(index);
        return v == null ? List.of() : java.util.Arrays.asList(v.clone());
    }

    /**
     * Logs a call a neighbour of this kernel made ({@link FakeKvm}), subject to the same injections, so
     * that one log shows the order of VFIO and KVM calls.
     */
    public void recordNeighbourCall(String op, String detail) {
        enter(op, "kvm-vm", detail);
    }

    // ---- container --------------------------------------------------------------------------------

    @Override
    public KernelHandle openContainer() {
        enter("open", "/dev/vfio/vfio", "/dev/vfio/vfio");
        FakeHandle h = newHandle(Kind.CONTAINER, "/dev/vfio/vfio");
        containers.put(h, new FakeIommu(h));
        return h;
    }

    @Override
    public int apiVersion(KernelHandle container) {
        FakeHandle h = handle(container, Kind.CONTAINER, "VFIO_GET_API_VERSION", "");
        return apiVersion;
    }

    @Override
    public boolean checkExtension(KernelHandle container, int extension) {
        handle(container, Kind.CONTAINER, "VFIO_CHECK_EXTENSION", modelName(extension));
        return (extension == VFIO_TYPE1v2_IOMMU && type1v2) || (extension == VFIO_TYPE1_IOMMU && type1);
    }

    @Override
    public void setIommu(KernelHandle container, int iommuType) {
        FakeIommu c = containers.get(handle(container, Kind.CONTAINER, "VFIO_SET_IOMMU", modelName(iommuType)));
        boolean supported = (iommuType == VFIO_TYPE1v2_IOMMU && type1v2) || (iommuType == VFIO_TYPE1_IOMMU && type1);
        if (c.groups.isEmpty() || c.iommuSet() || !supported) {
            throw err(Errno.EINVAL, "VFIO_SET_IOMMU", container);
        }
        c.iommuType = iommuType;
    }

    @Override
    public IommuInfo iommuInfo(KernelHandle container) {
        FakeIommu c = containers.get(handle(container, Kind.CONTAINER, "VFIO_IOMMU_GET_INFO", ""));
        if (!c.iommuSet()) {
            throw err(Errno.EINVAL, "VFIO_IOMMU_GET_INFO", container);
        }
        return new IommuInfo(pageSizes, reportCaps ? Optional.of(validRanges) : Optional.empty(),
                reportCaps ? OptionalLong.of(dmaEntryLimit - c.mappings.size()) : OptionalLong.empty());
    }

    @Override
    public void mapDma(KernelHandle container, Iova iova, Hva vaddr, long size) {
        String op = "VFIO_IOMMU_MAP_DMA";
        FakeIommu c = containers.get(handle(container, Kind.CONTAINER, op, range(iova.value(), size)));
        if (!c.iommuSet()) {
            throw err(Errno.EINVAL, op, container);
        }
        int refused = c.checkMap(iova.value(), vaddr.value(), size, pageSizes, validRanges,
                dmaEntryLimit - c.mappings.size());
        if (refused != 0) {
            throw err(refused, op, container);
        }
        if (!capIpcLock && memlockLimit != Memlock.UNLIMITED && lockedElsewhere + pinnedBytes() + size > memlockLimit) {
            throw err(Errno.ENOMEM, op, container);
        }
        c.mappings.put(iova.value(), new FakeIommu.Mapping(iova.value(), vaddr.value(), size));
    }

    @Override
    public long unmapDma(KernelHandle container, Iova iova, long size) {
        String op = "VFIO_IOMMU_UNMAP_DMA";
        FakeIommu c = containers.get(handle(container, Kind.CONTAINER, op, range(iova.value(), size)));
        long page = Long.lowestOneBit(pageSizes);
        if (!c.iommuSet() || size == 0 || ((iova.value() | size) & (page - 1)) != 0) {
            throw err(Errno.EINVAL, op, container);
        }
        List<FakeIommu.Mapping> covered = c.covered(iova.value(), size);
        if (covered == null) {
            throw err(Errno.EINVAL, op, container);
        }
        covered.forEach(m -> c.mappings.remove(m.iova()));
        return covered.stream().mapToLong(FakeIommu.Mapping::size).sum();
    }

    @Override
    public Memlock memlock() {
        enter("getrlimit(RLIMIT_MEMLOCK)", "", "");
        return new Memlock(memlockLimit, lockedElsewhere + pinnedBytes(), capIpcLock);
    }

    // ---- group ------------------------------------------------------------------------------------

    @Override
    public KernelHandle openGroup(Path node) {
        String name = "/" + host.root().relativize(node).toString().replace('\\', '/');
        enter("open", name, name);
        int id = groupIdOf(name);
        if (id < 0 || host.group(id) == null || !host.hasVfioNode(id) || !host.nodeName(id).equals(name)) {
            throw new ErrnoException(Errno.ENOENT, "open", name, name + " does not exist: is the kernel module loaded?");
        }
        if (groups.containsKey(id) || host.group(id).openElsewhere) {
            throw new ErrnoException(Errno.EBUSY, "open", name, null);
        }
        FakeHandle h = newHandle(Kind.GROUP, name);
        groups.put(id, new GroupState(id, h));
        return h;
    }

    private static int groupIdOf(String name) {
        String last = name.substring(name.lastIndexOf('/') + 1).replace("noiommu-", "");
        try {
            return Integer.parseInt(last);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public GroupStatus groupStatus(KernelHandle group) {
        GroupState g = group(handle(group, Kind.GROUP, "VFIO_GROUP_GET_STATUS", group.name()));
        return new GroupStatus((host.viable(g.id) ? VFIO_GROUP_FLAGS_VIABLE : 0)
                | (g.container != null ? VFIO_GROUP_FLAGS_CONTAINER_SET : 0));
    }

    @Override
    public void setContainer(KernelHandle group, KernelHandle container) {
        GroupState g = group(handle(group, Kind.GROUP, "VFIO_GROUP_SET_CONTAINER", group.name()));
        FakeIommu c = containers.get(handle(container, Kind.CONTAINER, null, null));
        if (g.container != null) {
            throw err(Errno.EINVAL, "VFIO_GROUP_SET_CONTAINER", group);
        }
        if (!host.viable(g.id)) {
            throw err(Errno.EPERM, "VFIO_GROUP_SET_CONTAINER", group);
        }
        g.container = c;
        c.groups.add(g.id);
    }

    @Override
    public void unsetContainer(KernelHandle group) {
        GroupState g = group(handle(group, Kind.GROUP, "VFIO_GROUP_UNSET_CONTAINER", group.name()));
        if (g.container == null) {
            throw err(Errno.EINVAL, "VFIO_GROUP_UNSET_CONTAINER", group);
        }
        if (!g.devices.isEmpty()) {
            throw err(Errno.EBUSY, "VFIO_GROUP_UNSET_CONTAINER", group);
        }
        detach(g);
    }

    /** The group leaves its container; the last group out takes the IOMMU and every mapping with it. */
    private void detach(GroupState g) {
        FakeIommu c = g.container;
        c.groups.remove(g.id);
        g.container = null;
        if (c.groups.isEmpty()) {
            if (!c.mappings.isEmpty()) {
                violations.add("the last group left " + c.handle.name + " with " + c.mappings.size()
                        + " DMA mappings: the kernel dropped them, nobody unmapped them");
                c.mappings.clear();
            }
            c.iommuType = 0;
        }
    }

    @Override
    public KernelHandle deviceFd(KernelHandle group, PciBdf device) {
        String op = "VFIO_GROUP_GET_DEVICE_FD";
        GroupState g = group(handle(group, Kind.GROUP, op, group.name() + " " + device));
        if (g.container == null || !g.container.iommuSet() || !host.viable(g.id)) {
            throw err(Errno.EINVAL, op, group);
        }
        FakeFunction f = host.function(device);
        if (f == null || f.group != g.id || !"vfio-pci".equals(f.driver)) {
            throw err(Errno.ENODEV, op, group);
        }
        if (f.inUseElsewhere || devices.containsValue(f)) {
            throw err(Errno.EBUSY, op, group);
        }
        FakeHandle h = newHandle(Kind.DEVICE, device.toString());
        devices.put(h, f);
        g.devices.add(h);
        return h;
    }

    // ---- device: see FakeDeviceCalls ------------------------------------------------------------------

    @Override
    public DeviceInfo deviceInfo(KernelHandle device) { return deviceCalls.deviceInfo(device); }

    @Override
    public RegionInfo regionInfo(KernelHandle device, int index) { return deviceCalls.regionInfo(device, index); }

    @Override
    public IrqInfo irqInfo(KernelHandle device, int index) { return deviceCalls.irqInfo(device, index); }

    @Override
    public void setIrqEventfds(KernelHandle device, int index, int start, List<Optional<Fd>> fds) {
        deviceCalls.setIrqEventfds(device, index, start, fds);
    }

    @Override
    public void setIrqUnmaskEventfd(KernelHandle device, int index, int vector, Optional<Fd> eventfd) {
        deviceCalls.setIrqUnmaskEventfd(device, index, vector, eventfd);
    }

    @Override
    public void maskIrq(KernelHandle device, int index, int start, int count) {
        deviceCalls.maskIrq(device, index, start, count);
    }

    @Override
    public void unmaskIrq(KernelHandle device, int index, int start, int count) {
        deviceCalls.unmaskIrq(device, index, start, count);
    }

    @Override
    public void triggerIrq(KernelHandle device, int index, int start, int count) {
        deviceCalls.triggerIrq(device, index, start, count);
    }

    @Override
    public void disableIrq(KernelHandle device, int index) { deviceCalls.disableIrq(device, index); }

    @Override
    public void reset(KernelHandle device) { deviceCalls.reset(device); }

    @Override
    public long read(KernelHandle device, long offset, int width) { return deviceCalls.read(device, offset, width); }

    @Override
    public void write(KernelHandle device, long offset, int width, long value) {
        deviceCalls.write(device, offset, width, value);
    }

    @Override
    public RegionMapping mmap(KernelHandle device, long offset, long length, boolean writable) {
        return deviceCalls.mmap(device, offset, length, writable);
    }

    FakeRegionMapping newRegionMapping(FakeHandle device, long offset, long length) {
        FakeRegionMapping m = new FakeRegionMapping(this, device, offset, Hva.of(nextHva), length);
        nextHva += (length + 0xfff) & ~0xfffL;
        regionMappings.add(m);
        return m;
    }

    void unmapped(FakeRegionMapping m) {
        calls.add("munmap " + m);
    }

    // ---- KVM --------------------------------------------------------------------------------------

    @Override
    public KernelHandle createKvmVfioDevice() {
        enter("KVM_CREATE_DEVICE(kvm-vfio)", "kvm-vm", "");
        FakeHandle h = newHandle(Kind.KVM_DEVICE, "kvm-vfio");
        kvmDevices.put(h, new LinkedHashSet<>());
        return h;
    }

    @Override
    public void kvmAddGroup(KernelHandle kvmDevice, KernelHandle group) {
        String op = "KVM_SET_DEVICE_ATTR(KVM_DEV_VFIO_GROUP_ADD)";
        Set<Integer> held = kvmDevices.get(handle(kvmDevice, Kind.KVM_DEVICE, op, group.name()));
        GroupState g = group(handle(group, Kind.GROUP, null, null));
        if (!held.add(g.id)) {
            throw err(Errno.EEXIST, op, kvmDevice);
        }
    }

    @Override
    public void kvmDeleteGroup(KernelHandle kvmDevice, KernelHandle group) {
        String op = "KVM_SET_DEVICE_ATTR(KVM_DEV_VFIO_GROUP_DEL)";
        Set<Integer> held = kvmDevices.get(handle(kvmDevice, Kind.KVM_DEVICE, op, group.name()));
        GroupState g = group(handle(group, Kind.GROUP, null, null));
        if (!held.remove(g.id)) {
            throw err(Errno.ENOENT, op, kvmDevice);
        }
    }

    // ---- descriptors ------------------------------------------------------------------------------

    private FakeHandle newHandle(Kind kind, String name) {
        FakeHandle h = new FakeHandle(this, kind, name, nextFd++);
        handles.add(h);
        return h;
    }

    /** What the kernel does when the last reference to a descriptor goes. */
    void released(FakeHandle h) {
        calls.add("close " + h.name);
        switch (h.kind) {
            case CONTAINER -> {
                FakeIommu c = containers.get(h);
                if (!c.groups.isEmpty()) {
                    violations.add(h.name + " closed while groups " + c.groups + " were still attached");
                }
            }
            case GROUP -> {
                GroupState g = groups.get(groupIdOf(h.name));
                if (!g.devices.isEmpty()) {
                    violations.add("group " + g.id + " closed before its devices "
                            + g.devices.stream().map(d -> d.name).toList());
                }
                if (kvmDevices.values().stream().anyMatch(s -> s.contains(g.id))) {
                    violations.add("group " + g.id + " closed while KVM still held it");
                }
                if (g.container != null) {
                    violations.add("group " + g.id + " closed while attached to " + g.container.handle.name);
                    detach(g);
                }
                groups.remove(g.id);
            }
            case DEVICE -> {
                FakeFunction f = devices.remove(h);
                groups.values().forEach(g -> g.devices.remove(h));
                eventfds.remove(f.address);
                f.irqType = -1; // closing the device fd disables its interrupts
                f.unmaskEventfd = null;
                if (regionMappings.stream().anyMatch(m -> m.isOpen() && m.device == h)) {
                    violations.add("device " + h.name + " closed while its regions were still mmap'ed");
                }
            }
            case KVM_DEVICE -> {
                if (!kvmDevices.get(h).isEmpty()) {
                    violations.add("KVM's VFIO device closed while it held groups " + kvmDevices.get(h));
                }
                kvmDevices.remove(h);
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** Logs the call, then applies the first matching injection. */
    private void enter(String op, String context, String detail) {
        String line = detail.isEmpty() ? op : op + " " + detail;
        calls.add(line);
        Predicate<Injection> matches = i -> line.startsWith(i.prefix());
        Optional<Injection> hit = injections.stream().filter(matches).findFirst();
        if (hit.isPresent()) {
            injections.remove(hit.get());
            if (hit.get().action() != null) {
                hit.get().action().run();
            } else {
                throw new ErrnoException(hit.get().errno(), op, context, null);
            }
        }
    }

    /** Checks the handle (EBADF closed, ENOTTY wrong kind), then logs the call when {@code op} is given. */
    private FakeHandle handle(KernelHandle k, Kind kind, String op, String detail) {
        if (!(k instanceof FakeHandle h) || h.kernel != this) {
            throw new IllegalArgumentException(k + " is not a handle of this fake kernel");
        }
        if (op != null) {
            enter(op, h.name, detail.isEmpty() ? h.kind == Kind.CONTAINER ? "" : h.name : detail);
        }
        if (!h.isOpen()) {
            throw new ErrnoException(Errno.EBADF, op == null ? "ioctl" : op, h.name, null);
        }
        if (h.kind != kind) {
            throw new ErrnoException(Errno.ENOTTY, op == null ? "ioctl" : op, h.name, null);
        }
        return h;
    }

    private GroupState group(FakeHandle h) {
        return groups.get(groupIdOf(h.name));
    }

    FakeFunction device(KernelHandle device, String op, String detail) {
        FakeHandle h = handle(device, Kind.DEVICE, op, detail.isEmpty() ? device.name() : device.name() + " " + detail);
        return devices.get(h);
    }

    static ErrnoException err(int errno, String op, KernelHandle on) {
        return new ErrnoException(errno, op, on.name(), null);
    }

    private static String range(long iova, long size) {
        return "iova=0x" + Long.toHexString(iova) + " size=0x" + Long.toHexString(size);
    }

    private static String modelName(int extension) {
        return switch (extension) {
            case VFIO_TYPE1_IOMMU -> "TYPE1";
            case VFIO_TYPE1v2_IOMMU -> "TYPE1v2";
            case VFIO_NOIOMMU_IOMMU -> "NOIOMMU";
            default -> Integer.toString(extension);
        };
    }
}
