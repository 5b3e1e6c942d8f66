package dev.jvmm.vfio;

import dev.jvmm.memory.GuestLayout;
import dev.jvmm.memory.sys.GuestRam;
import dev.jvmm.pci.PciBdf;
import dev.jvmm.vfio.fake.FakeHost;
import dev.jvmm.vfio.fake.FakeVfioKernel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A fake host and kernel plus real guest RAM (a memfd, never touched by the fake), for the attach tests.
 * Closing releases the RAM.
 */
final class VfioWorld implements AutoCloseable {

    static final long MIB = 1L << 20;

    final FakeHost host;
    final FakeVfioKernel kernel;
    final GuestRam ram;

    VfioWorld(Path root, long ramBytes) {
        this.host = new FakeHost(root);
        this.kernel = new FakeVfioKernel(host);
        this.ram = GuestRam.create(GuestLayout.x86(ramBytes), false);
    }

    VfioWorld(Path root) {
        this(root, 64 * MIB);
    }

    VfioAssignment attach(String... addresses) {
        return VfioAssignment.attach(kernel, host.sysfs(), ram, Arrays.stream(addresses).map(PciBdf::parse).toList());
    }

    /** Nothing left behind in the kernel: no descriptor, DMA mapping, KVM registration or mmap, and no teardown out of order. */
    List<String> leftovers() {
        List<String> left = new java.util.ArrayList<>();
        kernel.openHandles().forEach(h -> left.add("open fd " + h));
        kernel.dmaMappings().forEach(m -> left.add("DMA mapping " + m));
        kernel.kvmGroups().forEach(g -> left.add("KVM holds group " + g));
        kernel.openRegionMappings().forEach(m -> left.add("mmap " + m));
        kernel.violations().forEach(v -> left.add("violation: " + v));
        return left;
    }

    @Override
    public void close() {
        ram.close();
    }
}
