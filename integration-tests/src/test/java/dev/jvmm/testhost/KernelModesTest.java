package dev.jvmm.testhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The three VFIO flavours the VMM must handle, each on the L1 kernel and IOMMU setup that offers it:
 * the legacy type1 group, iommufd with the device cdev, and the unsafe no-IOMMU group.
 */
@Tag("l1")
class KernelModesTest {
    private static final Duration SHORT = Duration.ofSeconds(30);

    @Test
    void stockKernelOffersOnlyTheType1GroupDevice() {
        try (TestHost host = start("mode-stock", L1Kernel.STOCK, IommuMode.VIOMMU)) {
            assertTrue(kernel(host).startsWith("6.1."), kernel(host));

            VfioBinding nvme = host.bindToVfio(EmulatedDevice.NVME);

            assertTrue(nvme.devVfio().containsAll(List.of("vfio", nvme.iommuGroup())),
                    "expected /dev/vfio/vfio and /dev/vfio/" + nvme.iommuGroup() + ", found " + nvme.devVfio());
            assertFalse(nvme.hasDeviceCdev(), "6.1 has no VFIO device cdev: " + nvme.devVfio());
            assertFalse(nvme.devIommu(), "6.1 has no iommufd");
            assertTrue(nvme.devVfio().stream().noneMatch(n -> n.startsWith("devices/") || n.startsWith("noiommu-")),
                    nvme.devVfio().toString());
        }
    }

    @Test
    void featureKernelWithVIommuOffersIommufdAndTheDeviceCdev() {
        try (TestHost host = start("mode-iommufd", L1Kernel.FEATURE, IommuMode.VIOMMU)) {
            assertTrue(kernel(host).startsWith("6.12."), kernel(host));

            VfioBinding nvme = host.bindToVfio(EmulatedDevice.NVME);

            assertTrue(nvme.devIommu(), "no /dev/iommu on the feature kernel");
            String name = nvme.vfioDevice().orElseThrow(() -> new AssertionError("no vfio-dev entry for " + nvme.device()));
            assertTrue(name.matches("vfio\\d+"), name);
            assertTrue(nvme.hasDeviceCdev(), "no /dev/vfio/devices/" + name + " in " + nvme.devVfio());
            assertTrue(nvme.devVfio().contains(nvme.iommuGroup()), "the legacy group device is gone: " + nvme.devVfio());
            assertEquals("", nvme.groupName(), "a real IOMMU group has no name");
        }
    }

    @Test
    void featureKernelWithoutIommuOffersTheNoIommuGroup() {
        try (TestHost host = start("mode-noiommu", L1Kernel.FEATURE, IommuMode.NOIOMMU)) {
            ExecResult iommus = host.exec("ls /sys/class/iommu | wc -l", SHORT).requireSuccess();
            assertEquals("0", iommus.output().strip(), "L1 without vIOMMU still has an IOMMU");

            VfioBinding nvme = host.bindToVfio(EmulatedDevice.NVME);

            assertTrue(nvme.devVfio().contains("noiommu-" + nvme.iommuGroup()),
                    "no /dev/vfio/noiommu-" + nvme.iommuGroup() + " in " + nvme.devVfio());
            assertEquals("vfio-noiommu", nvme.groupName());
            ExecResult taint = host.exec("dmesg | grep -c 'Adding kernel taint for vfio-noiommu group on device'", SHORT);
            assertEquals(0, taint.exitCode(), "the kernel did not log the no-IOMMU taint:\n" + host.consoleTail(20));
        }
    }

    private static TestHost start(String name, L1Kernel kernel, IommuMode iommu) {
        return TestHost.start(name, TestHostOptions.defaults().withKernel(kernel).withIommu(iommu)
                .withDevices(EmulatedDevice.NVME).withMemoryMib(2048));
    }

    private static String kernel(TestHost host) {
        return host.exec("uname -r", SHORT).requireSuccess().output().strip();
    }
}
