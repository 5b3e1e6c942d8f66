package dev.jvmm.testhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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
    private static final String NVME_STATS = "nvme-rw-stats.json";

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

        JvmmL2Vmm counted = vmm.withMoreVmmArgs("-stats " + L1Machine.L1_RUN + "/" + NVME_STATS);
        L2Result result = host.runL2(counted, L2Test.NVME_RW, Optional.of(nvme.device()), L2_TIMEOUT).assertPassed();

        String report = result.failureReport();
        assertEquals(0, result.vmm().exitCode(), "jvmm in L1 exited with an error:\n" + report);
        assertEquals("nvme", result.facts().get("driver"), report);
        assertEquals(8L << 20, result.fact("bytes"), report);
        assertTrue(result.fact("msix_vectors") > 0, report);
        assertTrue(result.fact("msix_irqs") > 0, report);
        assertFalse(result.irqs().isEmpty(), "the guest printed no /proc/interrupts lines for nvme");
        System.out.println("jvmm nvme-rw: " + result.detail());
        result.irqs().forEach(line -> System.out.println("  L2 IRQ " + line));

        // The doorbells and registers are KVM memory slots over the mmap'ed BAR: no access to them reached
        // the VMM. Only the MSI-X table and PBA are trapped, and the driver did program the table.
        ExitCounts exits = ExitCounts.read(host.runDir().resolve(NVME_STATS));
        ExitCounts.Bar bar0 = exits.assignedBar(0);
        System.out.println("jvmm nvme-rw exits: " + exits.totals() + "; BAR0 " + bar0 + ": " + exits.mmioWithin(bar0)
                + "; first KVM_RUN " + exits.firstKvmRunMillis() + " ms after bin/vmm started");
        // The VMM's share of a boot, as the boot benchmark splits it: present, after the start, within the run.
        long firstRun = exits.firstKvmRunMillis().orElseThrow(() -> new AssertionError("-stats has no startup.first_kvm_run_ms"));
        assertTrue(firstRun > 0 && firstRun < 300_000, "first KVM_RUN " + firstRun + " ms after bin/vmm started");
        assertTrue(bar0.decoding(), "BAR0 does not decode at the end of the run: " + bar0);
        assertEquals(List.of(), exits.mmioWithin(bar0).stream().filter(r -> !r.msix() && r.total() > 0).toList(),
                "user-space exits on NVMe BAR0 registers or doorbells (" + bar0 + ")");
        assertEquals(Map.of(), exits.unclaimedMmioPagesWithin(bar0), "unclaimed exits inside NVMe BAR0 " + bar0);
        assertTrue(exits.mmioWithin(bar0).stream().filter(ExitCounts.Range::msix).mapToLong(ExitCounts.Range::total)
                .sum() > 0, "the MSI-X table saw no exit, so these counts cannot be trusted: " + exits.mmioWithin(bar0));
    }

    @Test
    @Order(2)
    void l2DrivesTheEduDeviceItsDmaAndItsMsiThroughJvmm() {
        VfioBinding edu = host.bindToVfio(EmulatedDevice.EDU);

        L2Result result = host.runL2(vmm, L2Test.EDU, Optional.of(edu.device()), L2_TIMEOUT).assertPassed();

        String report = result.failureReport();
        assertEquals(0, result.vmm().exitCode(), "jvmm in L1 exited with an error:\n" + report);
        assertEquals("0x010000ed", result.facts().get("id"), report);
        assertEquals(3628800, result.fact("fact"), report);
        // edu-test compared the page that went RAM -> edu -> RAM; the addresses are guest-physical.
        assertEquals(2048, result.fact("dma_bytes"), report);
        assertTrue(Long.decode(result.facts().get("dma_src")) < 512L << 20, report);
        assertEquals(result.fact("msi_sent"), result.fact("msi_received"), report);
        assertEquals(2, result.fact("msi_received"), report);
        System.out.println("jvmm edu: " + result.detail());
    }

    /**
     * QMP {@code system_reset} with the NVMe assigned: jvmm detaches the device (VFIO reset, DMA unmapped,
     * descriptors closed) with the old VM and attaches it to the new one, whose guest binds the driver and
     * passes nvme-rw again. Nothing accumulates: the VMM holds the same VFIO, KVM, eventfd and memfd
     * descriptors, and the same locked (pinned) memory, at the same point of both runs.
     */
    @Test
    @Order(3)
    void nvmeWorksAgainAfterQmpSystemResetAndNothingAccumulates() {
        VfioBinding nvme = host.bindToVfio(EmulatedDevice.NVME);
        String vmmProcess = "fds:dev\\.jvmm\\.vmm\\.Main";
        L2Launch launch = host.l2Launch(L2Test.NVME_RW, Optional.of(nvme.device())).withExtraKernelArgs("jvmm.hold=1");

        QmpRun run = host.runL2WithQmp(vmm.rebooting(), L2Test.NVME_RW, launch, List.of(
                "console:^JVMM-L2 HOLD", vmmProcess, "cmd:system_reset", "event:RESET",
                "console-new:^JVMM-L2 HOLD", vmmProcess, "cmd:quit", "event:SHUTDOWN", "eof"), L2_TIMEOUT);
        QmpTranscript qmp = run.transcript();
        String why = run.diagnostics();

        assertTrue(qmp.completed(), "the QMP script did not run every step\n" + why);
        assertEquals(0, run.run().exitCode(), "jvmm did not exit 0 after quit\n" + why);
        List<String> results = qmp.console(line -> line.startsWith("JVMM-L2 RESULT")).stream()
                .map(QmpTranscript.Entry::text).toList();
        assertEquals(2, results.size(), "expected one nvme-rw result per run\n" + why);
        results.forEach(r -> assertTrue(r.startsWith("JVMM-L2 RESULT nvme-rw PASS"), r + "\n" + why));

        List<String> held = qmp.entries().stream().filter(e -> e.kind().equals("note") && e.text().startsWith("fds "))
                .map(e -> vmmResources(e.text())).toList();
        assertEquals(2, held.size(), why);
        System.out.println("jvmm across system_reset, before: " + held.get(0) + "\n  after: " + held.get(1));
        assertTrue(held.get(0).contains("/dev/vfio/vfio=1") && held.get(0).contains("anon_inode:kvm-vm=1")
                && !held.get(0).contains("VmLck=0 "), "the first run holds no container, VM or pinned memory: " + held.get(0));
        assertEquals(held.get(0), held.get(1), "what jvmm holds changed across system_reset");
    }

    /**
     * From a {@code fds PID VmLck=N TARGET=COUNT...} note, the locked memory and the descriptors that are the
     * VMM's own (VFIO, KVM, eventfds, guest RAM); the JVM's jars, sockets and pipes are left out.
     */
    private static String vmmResources(String note) {
        String[] parts = note.split(" ");
        StringBuilder out = new StringBuilder(parts[2]);
        for (int i = 3; i < parts.length; i++) {
            if (parts[i].matches("^(/dev/vfio/|/dev/kvm|anon_inode:(kvm|\\[vfio|\\[eventfd)|/memfd:).*")) {
                out.append(' ').append(parts[i]);
            }
        }
        return out.toString();
    }
}
