package dev.jvmm.vfio.fake;

import dev.jvmm.pci.PciBdf;
import dev.jvmm.vfio.host.PciSysfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A host's PCI functions and IOMMU groups, and the sysfs and /dev/vfio tree they show, written below a
 * temporary root exactly as Linux lays it out (device directories under {@code sys/devices}, reached
 * through {@code sys/bus/pci/devices} links; {@code driver} and {@code iommu_group} links; group
 * directories with {@code devices/}, {@code reserved_regions} and, for no-IOMMU groups, {@code name}).
 * Every change rewrites the tree, so {@link PciSysfs} always reads what {@link FakeVfioKernel} acts on.
 */
public final class FakeHost {

    /** What x86 IOMMUs reserve in every group: the MSI doorbell window. */
    public static final String MSI_ONLY = "0x00000000fee00000 0x00000000feefffff msi\n";

    private final Path root;
    private final Map<PciBdf, FakeFunction> functions = new TreeMap<>();
    private final Map<Integer, GroupModel> groups = new TreeMap<>();

    static final class GroupModel {
        final int id;
        String reservedRegions = MSI_ONLY;
        boolean noIommuName;
        boolean noIommuNode;
        /** Another process has /dev/vfio/N open. */
        boolean openElsewhere;

        GroupModel(int id) {
            this.id = id;
        }
    }

    public FakeHost(Path root) {
        this.root = root;
        sync();
    }

    public PciSysfs sysfs() {
        return new PciSysfs(root);
    }

    public Path root() {
        return root;
    }

    /** Adds a function (NVMe-like, bound to vfio-pci) in IOMMU group {@code group}; -1 for none. */
    public FakeFunction addDevice(String address, int group) {
        FakeFunction f = new FakeFunction(this, PciBdf.parse(address), group);
        functions.put(f.address, f);
        if (group >= 0) {
            groups.computeIfAbsent(group, GroupModel::new);
        }
        sync();
        return f;
    }

    public FakeFunction function(PciBdf address) {
        return functions.get(address);
    }

    /** Content of the group's {@code reserved_regions}; null for a kernel without that file. */
    public FakeHost reservedRegions(int group, String content) {
        groups.get(group).reservedRegions = content;
        sync();
        return this;
    }

    /** Makes the group a VFIO no-IOMMU group: sysfs name {@code vfio-noiommu} and/or node {@code noiommu-N}. */
    public FakeHost noIommu(int group, boolean sysfsName, boolean devNode) {
        GroupModel g = groups.get(group);
        g.noIommuName = sysfsName;
        g.noIommuNode = devNode;
        sync();
        return this;
    }

    public FakeHost groupOpenElsewhere(int group, boolean open) {
        groups.get(group).openElsewhere = open;
        return this;
    }

    GroupModel group(int id) {
        return groups.get(id);
    }

    List<FakeFunction> groupDevices(int id) {
        return functions.values().stream().filter(f -> f.group == id).toList();
    }

    /** VFIO has a node for a group once vfio-pci is bound to one of its devices. */
    boolean hasVfioNode(int id) {
        return groupDevices(id).stream().anyMatch(f -> "vfio-pci".equals(f.driver));
    }

    boolean viable(int id) {
        return groupDevices(id).stream().noneMatch(FakeFunction::blocksViability);
    }

    /** The node name VFIO gives group {@code id}: {@code /dev/vfio/N} or {@code /dev/vfio/noiommu-N}. */
    String nodeName(int id) {
        GroupModel g = groups.get(id);
        return "/dev/vfio/" + (g.noIommuNode ? "noiommu-" : "") + id;
    }

    /** Rewrites the whole tree from the model. */
    void sync() {
        try {
            deleteTree(root.resolve("sys"));
            deleteTree(root.resolve("dev"));
            Path sys = root.resolve("sys");
            Path pciDevices = Files.createDirectories(sys.resolve("bus/pci/devices"));
            Path vfioDev = Files.createDirectories(root.resolve("dev/vfio"));
            Files.writeString(vfioDev.resolve("vfio"), "");
            for (FakeFunction f : functions.values()) {
                String name = f.address.toString();
                Path dir = Files.createDirectories(sys.resolve("devices/pci0000:00/" + name));
                Files.writeString(dir.resolve("vendor"), String.format("0x%04x%n", f.vendor));
                Files.writeString(dir.resolve("device"), String.format("0x%04x%n", f.device));
                Files.writeString(dir.resolve("class"), String.format("0x%06x%n", f.classCode));
                if (f.driver != null) {
                    Files.createDirectories(sys.resolve("bus/pci/drivers/" + f.driver));
                    Files.createSymbolicLink(dir.resolve("driver"), Path.of("../../../bus/pci/drivers/" + f.driver));
                }
                if (f.group >= 0) {
                    Files.createSymbolicLink(dir.resolve("iommu_group"), Path.of("../../../kernel/iommu_groups/" + f.group));
                }
                Files.createSymbolicLink(pciDevices.resolve(name), Path.of("../../../devices/pci0000:00/" + name));
            }
            for (GroupModel g : groups.values()) {
                Path dir = Files.createDirectories(sys.resolve("kernel/iommu_groups/" + g.id));
                Path devices = Files.createDirectories(dir.resolve("devices"));
                for (FakeFunction f : groupDevices(g.id)) {
                    Files.createSymbolicLink(devices.resolve(f.address.toString()),
                            Path.of("../../../../devices/pci0000:00/" + f.address));
                }
                if (g.reservedRegions != null) {
                    Files.writeString(dir.resolve("reserved_regions"), g.reservedRegions);
                }
                if (g.noIommuName) {
                    Files.writeString(dir.resolve("name"), "vfio-noiommu\n");
                }
                if (hasVfioNode(g.id)) {
                    Files.writeString(root.resolve(nodeName(g.id).substring(1)), "");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
