package dev.jvmm.testhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** L1's QEMU command line follows the options: IOMMU, devices, kernel arguments, lifetime; one vCPU. */
class L1MachineTest {
    private static final Path KERNEL = Path.of("/cache/stock-kernel-1/vmlinuz");
    private static final Path INITRD = Path.of("/cache/l1-initramfs-1/initrd.gz");

    @Test
    void defaultsGiveVIommuNvmeEduAndBothShares() {
        List<String> cmd = L1Machine.command(TestHostOptions.defaults(), KERNEL, INITRD);

        assertEquals(List.of("timeout", "-s", "KILL", "2400", "qemu-system-x86_64"), cmd.subList(0, 5));
        assertEquals("1", after(cmd, "-smp"));
        assertTrue(cmd.contains("intel-iommu,intremap=on,caching-mode=on"), cmd.toString());
        assertTrue(cmd.contains("edu"), cmd.toString());
        assertTrue(cmd.contains("nvme,serial=deadbeef,drive=nvm"), cmd.toString());
        assertEquals("/hostroot/cache/stock-kernel-1/vmlinuz", after(cmd, "-kernel"));
        assertEquals("/hostroot/cache/l1-initramfs-1/initrd.gz", after(cmd, "-initrd"));
        assertEquals("console=ttyS0 panic=-1 quiet intel_iommu=on iommu=pt jvmm.idle=2400" + keep(), after(cmd, "-append"));
        assertEquals(2, Collections.frequency(cmd, "-virtfs"));
        assertTrue(cmd.stream().anyMatch(a -> a.contains("mount_tag=hostfs") && a.contains("readonly=on")
                && a.contains("multidevs=remap")), cmd.toString());
        assertTrue(cmd.stream().anyMatch(a -> a.contains("mount_tag=jvmmout") && !a.contains("readonly")), cmd.toString());
    }

    @Test
    void noIommuModeDropsTheVIommuAndAsksVfioForUnsafeMode() {
        TestHostOptions options = TestHostOptions.defaults().withKernel(L1Kernel.FEATURE).withIommu(IommuMode.NOIOMMU)
                .withDevices(EmulatedDevice.NVME).withMaxLifetime(Duration.ofMinutes(10));

        List<String> cmd = L1Machine.command(options, KERNEL, INITRD);

        assertFalse(cmd.stream().anyMatch(a -> a.contains("intel-iommu")), cmd.toString());
        assertFalse(cmd.contains("edu"), cmd.toString());
        assertEquals("console=ttyS0 panic=-1 quiet vfio.enable_unsafe_noiommu_mode=1 jvmm.idle=600" + keep(), after(cmd, "-append"));
        assertEquals("600", cmd.get(3));
    }

    @Test
    void optionsRefuseWhatCannotWork() {
        IllegalArgumentException stockNoIommu = assertThrows(IllegalArgumentException.class,
                () -> TestHostOptions.defaults().withIommu(IommuMode.NOIOMMU));
        assertTrue(stockNoIommu.getMessage().contains("withKernel(L1Kernel.FEATURE)"), stockNoIommu.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TestHostOptions.defaults().withMemoryMib(512));
        assertThrows(IllegalArgumentException.class,
                () -> TestHostOptions.defaults().withMaxLifetime(Duration.ofSeconds(10)));
    }

    private static String after(List<String> cmd, String flag) {
        return cmd.get(cmd.indexOf(flag) + 1);
    }

    /** What the command line adds for this checkout's location (nothing unless it lies in /tmp and the like). */
    private static String keep() {
        return L1Machine.keptHostPaths(Optional.ofNullable(System.getProperty("jvmm.root"))).stream()
                .map(p -> " jvmm.keep=" + p).reduce("", String::concat);
    }

    @Test
    void aCheckoutUnderL1sTmpfsMountsIsKeptVisible() {
        assertEquals(List.of("/tmp/ci/jvmm"), L1Machine.keptHostPaths(Optional.of("/tmp/ci/jvmm/")));
        assertEquals(List.of("/run/user/0/jvmm"), L1Machine.keptHostPaths(Optional.of("/run/user/0/jvmm")));
        assertEquals(List.of(), L1Machine.keptHostPaths(Optional.of("/work/jvmm")));
        assertEquals(List.of(), L1Machine.keptHostPaths(Optional.of("/tmpfoo/jvmm")));
        assertEquals(List.of(), L1Machine.keptHostPaths(Optional.empty()));
    }
}
