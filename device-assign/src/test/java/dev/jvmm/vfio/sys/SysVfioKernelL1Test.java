package dev.jvmm.vfio.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.kvm.sys.KvmSystem;
import dev.jvmm.kvm.sys.VmFd;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.memory.sys.GuestRam;
import dev.jvmm.pci.PciBdf;
import dev.jvmm.vfio.MappedArea;
import dev.jvmm.vfio.VfioAssignment;
import dev.jvmm.vfio.VfioDevice;
import dev.jvmm.vfio.host.HostPciDevice;
import dev.jvmm.vfio.host.PciSysfs;
import dev.jvmm.vfio.kernel.RegionInfo;
import dev.jvmm.vfio.kernel.VfioKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The attach sequence on a real kernel: every PCI function the host has bound to vfio-pci is assigned to a
 * KVM VM with 64 MiB of guest RAM, checked through VFIO, and released. Nothing is left behind, by the
 * kernel's own accounts: after each round this process holds no /dev/vfio descriptor ({@code /proc/self/fd});
 * the next round opens every group again (a group left open answers EBUSY) and maps the same IOVAs (a
 * mapping left behind answers EEXIST); and once the VM is closed no KVM descriptor remains either. Runs
 * in L1 of the nested test host (tag l1; integration-tests' KernelTestsInL1Test starts it there after
 * binding QEMU's NVMe and edu devices to vfio-pci); it fails, rather than skips, without them.
 */
@Tag("l1")
class SysVfioKernelL1Test {

    private static List<PciBdf> vfioPciDevices(PciSysfs sysfs) throws IOException {
        try (Stream<Path> entries = Files.list(sysfs.root().resolve("sys/bus/pci/devices"))) {
            return entries.map(p -> PciBdf.parse(p.getFileName().toString())).sorted()
                    .filter(a -> sysfs.device(a).map(HostPciDevice::boundToVfioPci).orElse(false))
                    .toList();
        }
    }

    @Test
    void assignsEveryVfioPciDeviceAndReleasesItCompletely() throws IOException {
        PciSysfs sysfs = PciSysfs.host();
        List<PciBdf> devices = vfioPciDevices(sysfs);
        assertFalse(devices.isEmpty(), "no PCI function is bound to vfio-pci: bind the L1 test devices first");
        List<String> before = openFiles();
        try (KvmSystem kvm = KvmSystem.open();
             VmFd vm = kvm.createVm();
             GuestRam ram = GuestRam.create(GuestLayout.x86(64L << 20), false)) {
            VfioKernel kernel = SysVfioKernel.forVm(vm);
            for (int round = 0; round < 2; round++) {
                try (VfioAssignment a = VfioAssignment.attach(kernel, sysfs, ram, devices)) {
                    assertEquals(64L << 20, a.container().dma().orElseThrow().bytes());
                    assertTrue(a.container().iommuInfo().minPageSize() >= 4096);
                    assertEquals(a.container().groups().size(), a.container().kvm().orElseThrow().groups().size());
                    for (VfioDevice d : a.devices()) {
                        HostPciDevice host = sysfs.device(d.address()).orElseThrow();
                        assertEquals(host.vendorId() | host.deviceId() << 16, d.config().read(0, 4), d.toString());
                        assertTrue(d.info().isPci());
                        assertTrue(d.regionSize(VfioConstants.VFIO_PCI_CONFIG_REGION_INDEX) >= 256);
                        RegionInfo bar0 = d.region(VfioConstants.VFIO_PCI_BAR0_REGION_INDEX).orElseThrow();
                        List<MappedArea> areas = d.mmap(bar0.index());
                        assertEquals(bar0.mmapAreas().size(), areas.size());
                        for (MappedArea m : areas) {
                            assertEquals(m.area().size(), m.mapping().length());
                        }
                    }
                    assertFalse(vfioFiles().isEmpty(), "an attached assignment holds /dev/vfio descriptors");
                }
                assertEquals(List.of(), vfioFiles(), "/dev/vfio descriptors left open after round " + round);
            }
        }
        List<String> after = openFiles();
        assertEquals(List.of(), after.stream().filter(f -> f.contains("kvm") || f.startsWith("/dev/vfio")).toList(),
                "KVM or VFIO descriptors left open after the VM closed");
        assertEquals(before.size(), after.size(), "descriptors before " + before + ", after " + after);
    }

    /**
     * What this process's descriptors point to, as /proc/self/fd names them (the listing's own descriptor
     * included), leaving out the jars the JVM opens as it loads classes.
     */
    private static List<String> openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(SysVfioKernelL1Test::target).filter(f -> !f.endsWith(".jar")).sorted().toList();
        }
    }

    private static List<String> vfioFiles() throws IOException {
        return openFiles().stream().filter(f -> f.startsWith("/dev/vfio")).toList();
    }

    private static String target(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return "(closed while listing)";
        }
    }
}
