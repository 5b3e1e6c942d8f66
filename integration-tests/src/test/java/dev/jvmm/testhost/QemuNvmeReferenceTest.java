package dev.jvmm.testhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The proving ground proves itself: QEMU inside L1 assigns L1's emulated NVMe (and edu) to an L2 guest
 * through real VFIO on the emulated Intel IOMMU, and the guest's stock drivers use them. Any Java VMM
 * result is compared with this one.
 */
@Tag("l1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QemuNvmeReferenceTest {
    private static final Duration L2_TIMEOUT = Duration.ofMinutes(5);

    private TestHost host;

    @BeforeAll
    void startHost() {
        host = TestHost.start("qemu-reference", TestHostOptions.defaults());
    }

    @AfterAll
    void removeHost() {
        if (host != null) {
            host.close();
            assertEquals(java.util.List.of(), host.containersLeft(), "the test-host container outlived close()");
        }
    }

    @Test
    @Order(1)
    void l2StockNvmeDriverWritesAndReadsBackThroughVfio() {
        VfioBinding nvme = host.bindToVfio(EmulatedDevice.NVME);
        assertTrue(nvme.devVfio().contains(nvme.iommuGroup()),
                "binding to vfio-pci made no /dev/vfio/" + nvme.iommuGroup() + ": " + nvme.devVfio());

        L2Result result = host.runL2(new QemuL2Vmm(), L2Test.NVME_RW, Optional.of(nvme.device()), L2_TIMEOUT)
                .assertPassed();

        assertEquals(0, result.vmm().exitCode(), "QEMU in L1 exited with an error:\n" + result.vmm().output());
        assertEquals("nvme", result.facts().get("driver"));
        assertEquals(8L << 20, result.fact("bytes"));
        assertTrue(result.fact("msix_vectors") > 0, result.detail());
        assertTrue(result.fact("msix_irqs") > 0, result.detail());
        assertFalse(result.irqs().isEmpty(), "the guest printed no /proc/interrupts lines for nvme");
        System.out.println("reference nvme-rw: " + result.detail());
        result.irqs().forEach(line -> System.out.println("  L2 IRQ " + line));
    }

    @Test
    @Order(2)
    void l2ReachesTheEduDeviceRegistersThroughVfio() {
        VfioBinding edu = host.bindToVfio(EmulatedDevice.EDU);

        L2Result result = host.runL2(new QemuL2Vmm(), L2Test.EDU, Optional.of(edu.device()), L2_TIMEOUT)
                .assertPassed();

        assertEquals("3628800", result.facts().get("fact"), result.detail());
    }

    @Test
    @Order(3)
    void failingL2CheckFailsWithTheL2ConsoleTail() {
        L2Result result = host.runL2(new QemuL2Vmm(), L2Test.NVME_RW, Optional.empty(), L2_TIMEOUT);

        AssertionError failure = assertThrows(AssertionError.class, result::assertPassed);
        assertTrue(failure.getMessage().contains("no NVMe (1b36:0010) among the PCI devices of L2"), failure.getMessage());
        assertTrue(failure.getMessage().contains("--- L2 console tail ---\n"), failure.getMessage());
        assertTrue(failure.getMessage().contains("JVMM-L2 START test=nvme-rw"), failure.getMessage());
    }
}
