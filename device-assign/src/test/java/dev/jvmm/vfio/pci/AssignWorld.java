package dev.jvmm.vfio.pci;

import dev.jvmm.bus.Bus;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.memory.sys.GuestRam;
import dev.jvmm.pci.PciBarAllocator;
import dev.jvmm.pci.PciBdf;
import dev.jvmm.pci.PciBus;
import dev.jvmm.vfio.fake.FakeFunction;
import dev.jvmm.vfio.fake.FakeHost;
import dev.jvmm.vfio.fake.FakeKvm;
import dev.jvmm.vfio.fake.FakeVfioKernel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A machine with fakes where the kernel would be: a fake host with an NVMe-like function at 0000:01:00.0
 * (IOMMU group 7), the fake VFIO kernel and fake KVM sharing one call log, and real guest RAM, PCI bus,
 * MMIO and port buses and BAR allocator. Closing releases the RAM.
 */
final class AssignWorld implements AutoCloseable {

    static final String NVME = "0000:01:00.0";
    static final int SLOT = 3;

    final FakeHost host;
    final FakeFunction nvme;
    final FakeVfioKernel kernel;
    final FakeKvm kvm;
    final GuestRam ram = GuestRam.create(GuestLayout.x86(64L << 20), false);
    final PciBus pci = new PciBus(0);
    final Bus mmio = new Bus("mmio");
    final Bus pio = new Bus("pio");
    final PciBarAllocator allocator = PciBarAllocator.forLayout(ram.layout());

    AssignWorld(Path root) {
        host = new FakeHost(root);
        nvme = host.addDevice(NVME, 7).nvmeConfigSpace();
        kernel = new FakeVfioKernel(host);
        kvm = new FakeKvm(kernel);
    }

    AssignedDevices.Target target() {
        return new AssignedDevices.Target(kvm, ram, pci, mmio, pio, allocator);
    }

    AssignedDevices attach() {
        return AssignedDevices.attach(kernel, host.sysfs(),
                List.of(new AssignedDevices.Request(PciBdf.parse(NVME), "nvme", Optional.of(SLOT))), target());
    }

    int configRead(int offset, int size) {
        return pci.configRead(SLOT, 0, offset, size);
    }

    void configWrite(int offset, int size, int value) {
        pci.configWrite(SLOT, 0, offset, size, value);
    }

    /** Calls logged since the last clear whose line starts with one of the prefixes. */
    List<String> calls(String... prefixes) {
        return kernel.calls().stream().filter(c -> Stream.of(prefixes).anyMatch(c::startsWith)).toList();
    }

    /** Everything the fakes still hold, plus violations of the kernel's rules. */
    List<String> leftovers() {
        List<String> left = new ArrayList<>();
        kernel.openHandles().forEach(h -> left.add("open fd " + h));
        kernel.dmaMappings().forEach(m -> left.add("DMA mapping " + m));
        kernel.kvmGroups().forEach(g -> left.add("KVM holds group " + g));
        kernel.openRegionMappings().forEach(m -> left.add("mmap " + m));
        kernel.violations().forEach(v -> left.add("violation: " + v));
        left.addAll(kvm.leftovers());
        mmio.ranges().forEach(r -> left.add("mmio range " + r));
        pio.ranges().forEach(r -> left.add("pio range " + r));
        pci.devices().forEach((a, d) -> left.add("pci " + a + " " + d.name()));
        return left;
    }

    /** This process's open descriptors, from /proc/self/fd. */
    static List<String> openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            List<String> out = new ArrayList<>();
            for (Path p : fds.toList()) {
                try {
                    out.add(p.getFileName() + " -> " + Files.readSymbolicLink(p));
                } catch (IOException gone) {
                    // the descriptor Files.list itself used, closed by now
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        ram.close();
    }
}
