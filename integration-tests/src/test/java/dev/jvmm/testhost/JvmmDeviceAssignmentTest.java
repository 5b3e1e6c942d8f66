package dev.jvmm.testhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
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
 * jvmm assigns L1's emulated NVMe and edu to an L2 guest through real VFIO on the emulated Intel IOMMU:
 * {@code bin/vmm -device vfio-pci,host=BDF} in L1, the guest's stock drivers and user-space checks use the
 * devices as they do under QEMU ({@link QemuNvmeReferenceTest}).
 */
@Tag("l1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JvmmDeviceAssignmentTest {
    private static final Duration L2_TIMEOUT = Duration.ofMinutes(5);

    private TestHost host;
    private JvmmL2Vmm vmm;

    @BeforeAll
    void startHost() {
        vmm = JvmmL2Vmm.ofThisProject();
        host = TestHost.start("jvmm-assign", TestHostOptions.defaults());
    }

    @AfterAll
    void removeHost() {
        if (host != null) {
            host.close();
            assertEquals(List.of(), host.containersLeft(), "the test-host container outlived close()");
        }
    }

    @Test
    @Order(1)
    void l2StockNvmeDriverWritesAndReadsBackThroughJvmm() {
        VfioBinding nvme = host.bindToVfio(EmulatedDevice.NVME);

        L2Result result = host.runL2(vmm, L2Test.NVME_RW, Optional.of(nvme.device()), L2_TIMEOUT).assertPassed();

        String report = result.failureReport();
        assertEquals(0, result.vmm().exitCode(), "jvmm in L1 exited with an error:\n" + report);
        assertEquals("nvme", result.facts().get("driver"), report);
        assertEquals(8L << 20, result.fact("bytes"), report);
        assertTrue(result.fact("msix_vectors") > 0, report);
        assertTrue(result.fact("msix_irqs") > 0, report);
        assertFalse(result.irqs().isEmpty(), "the guest printed no /proc/interrupts lines for nvme");
        System.out.println("jvmm nvme-rw: " + result.detail());
        result.irqs().forEach(line -> System.out.println("  L2 IRQ " + line));
    }
}
