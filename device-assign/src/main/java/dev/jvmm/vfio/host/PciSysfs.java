package dev.jvmm.vfio.host;

import dev.jvmm.memory.ReservedIovaRegion;
import dev.jvmm.pci.PciBdf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the host's PCI devices and IOMMU groups from sysfs, and names the VFIO character devices in
 * {@code /dev/vfio}, all below a root directory: {@code /} on a host, a temporary directory holding a
 * fake tree in tests. Every call reads the files afresh, so an answer reflects the moment it was asked.
 *
 * <p>Paths read (relative to the root):
 * <pre>
 *  sys/bus/pci/devices/&lt;address&gt;/{vendor, device, class}        hex numbers, "0x1234"
 *  sys/bus/pci/devices/&lt;address&gt;/driver -> .../drivers/&lt;name&gt;    absent when unbound
 *  sys/bus/pci/devices/&lt;address&gt;/iommu_group -> .../iommu_groups/&lt;N&gt;  absent without an IOMMU
 *  sys/kernel/iommu_groups/&lt;N&gt;/devices/&lt;address&gt;                one link per device
 *  sys/kernel/iommu_groups/&lt;N&gt;/{name, reserved_regions}          both optional
 *  dev/vfio/&lt;N&gt;, dev/vfio/noiommu-&lt;N&gt;                           VFIO group nodes
 * </pre>
 * A file that exists but cannot be read is a host failure and throws {@link UncheckedIOException}
 * naming it.
 */
public final class PciSysfs {

    private final Path root;

    public PciSysfs(Path root) {
        this.root = root;
    }

    /** The running host's sysfs and /dev. */
    public static PciSysfs host() {
        return new PciSysfs(Path.of("/"));
    }

    public Path root() {
        return root;
    }

    /** The device at {@code address}, or empty when the host has no such PCI function. */
    public Optional<HostPciDevice> device(PciBdf address) {
        Path dir = deviceDir(address);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        return Optional.of(new HostPciDevice(address,
                hexFile(dir.resolve("vendor")), hexFile(dir.resolve("device")), hexFile(dir.resolve("class")),
                linkTargetName(dir.resolve("driver")),
                linkTargetName(dir.resolve("iommu_group")).map(IommuGroupId::parse)));
    }

    /** The group {@code id}, or empty when sysfs has no such group. */
    public Optional<HostIommuGroup> group(IommuGroupId id) {
        Path dir = groupDir(id);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        List<HostPciDevice> devices = new ArrayList<>();
        Path devicesDir = dir.resolve("devices");
        if (Files.isDirectory(devicesDir)) {
            try (Stream<Path> entries = Files.list(devicesDir)) {
                for (Path entry : entries.sorted().toList()) {
                    PciBdf address = PciBdf.parse(entry.getFileName().toString());
                    devices.add(device(address).orElseThrow(() -> new UncheckedIOException(new IOException(
                            entry + " names " + address + ", which has no sysfs directory " + deviceDir(address)))));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + devicesDir, e);
            }
        }
        devices.sort((a, b) -> a.address().compareTo(b.address()));
        Optional<String> name = optionalFile(dir.resolve("name")).map(String::strip);
        List<ReservedIovaRegion> reserved = optionalFile(dir.resolve("reserved_regions"))
                .map(ReservedIovaRegion::parseSysfs).orElse(List.of());
        return Optional.of(new HostIommuGroup(id, name, devices, reserved));
    }

    /** {@code /dev/vfio/<id>}: the group's VFIO node when the host has an IOMMU. */
    public Path vfioGroupNode(IommuGroupId id) {
        return root.resolve("dev/vfio/" + id.value());
    }

    /** {@code /dev/vfio/noiommu-<id>}: the node VFIO makes instead in no-IOMMU mode. */
    public Path noIommuGroupNode(IommuGroupId id) {
        return root.resolve("dev/vfio/noiommu-" + id.value());
    }

    public boolean exists(Path node) {
        return Files.exists(node);
    }

    private Path deviceDir(PciBdf address) {
        return root.resolve("sys/bus/pci/devices/" + address);
    }

    private Path groupDir(IommuGroupId id) {
        return root.resolve("sys/kernel/iommu_groups/" + id.value());
    }

    private static Optional<String> linkTargetName(Path link) {
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readSymbolicLink(link).getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the link " + link, e);
        }
    }

    private static int hexFile(Path file) {
        String text = optionalFile(file).orElseThrow(() ->
                new UncheckedIOException(new IOException(file + " is missing")))
                .strip();
        if (!text.startsWith("0x")) {
            throw new UncheckedIOException(new IOException(file + " holds \"" + text + "\", not a 0x<hex> number"));
        }
        try {
            return Integer.parseUnsignedInt(text.substring(2), 16);
        } catch (NumberFormatException e) {
            throw new UncheckedIOException(new IOException(file + " holds \"" + text + "\", not a 0x<hex> number"));
        }
    }

    private static Optional<String> optionalFile(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
