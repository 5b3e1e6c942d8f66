package dev.jvmm.testhost;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The project's main job, run by {@code bin/demo}: on a machine without VFIO, starts the nested test host,
 * binds L1's NVMe to vfio-pci and has {@code bin/vmm} boot an L2 Linux guest with the NVMe assigned,
 * showing the guest's serial console as it runs and its O_DIRECT write/read-back check at the end.
 * Exits 0 when the guest's check passed and jvmm exited 0.
 */
public final class AssignmentDemo {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final String STATS = "demo-stats.json";

    private AssignmentDemo() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("demo: starting the test host (QEMU TCG as L1: emulated Intel IOMMU, NVMe; nested SVM)");
        int status;
        try (TestHost host = TestHost.start("demo", TestHostOptions.defaults().withDevices(EmulatedDevice.NVME))) {
            VfioBinding nvme = host.bindToVfio(EmulatedDevice.NVME);
            System.out.println("demo: L1's NVMe " + nvme.device() + " is bound to vfio-pci, IOMMU group "
                    + nvme.iommuGroup() + " (/dev/vfio/" + nvme.iommuGroup() + ")");
            JvmmL2Vmm vmm = JvmmL2Vmm.ofThisProject().withMoreVmmArgs("-stats " + L1Machine.L1_RUN + "/" + STATS);
            String command = vmm.command(host.l2Launch(L2Test.NVME_RW, Optional.of(nvme.device()))
                    .withConsoleLog("CONSOLE")).lines().findFirst().orElseThrow();
            System.out.println("demo: in L1: " + command.replace(" -serial file:CONSOLE", " -serial file:L2-CONSOLE"));
            System.out.println("---- L2 guest console ----");
            CompletableFuture<L2Result> run = CompletableFuture.supplyAsync(
                    () -> host.runL2(vmm, L2Test.NVME_RW, Optional.of(nvme.device()), TIMEOUT));
            follow(host.runDir(), run);
            L2Result result = run.join();
            System.out.println("---- end of the L2 guest console ----");
            System.out.println("demo: jvmm exited with status " + result.vmm().exitCode());
            if (result.passed() && result.vmm().exitCode() == 0) {
                System.out.println("demo: PASS: the guest's stock nvme driver wrote and read back "
                        + result.facts().get("bytes") + " bytes through the assigned NVMe, SHA-256 equal, "
                        + result.facts().get("msix_irqs") + " MSI-X interrupts");
                ExitCounts exits = ExitCounts.read(host.runDir().resolve(STATS));
                ExitCounts.Bar bar0 = exits.assignedBar(0);
                long trapped = exits.mmioWithin(bar0).stream().mapToLong(ExitCounts.Range::total).sum();
                System.out.println("demo: exits to bin/vmm for the NVMe's " + bar0 + ": " + trapped
                        + ", all on " + exits.mmioWithin(bar0).stream().map(ExitCounts.Range::name).toList()
                        + "; its registers and doorbells are KVM memory slots (bin/vmm -stats)");
                status = 0;
            } else {
                System.out.println("demo: FAIL: " + result.failureReport());
                status = 1;
            }
        }
        System.exit(status);
    }

    /** Prints the guest console log (l2-N-jvmm-nvme-rw.log in the run directory) as it grows, until {@code run} ends. */
    private static void follow(Path runDir, CompletableFuture<?> run) throws IOException, InterruptedException {
        Path log = null;
        long offset = 0;
        while (true) {
            boolean last = run.isDone();
            if (log == null) {
                try (Stream<Path> files = Files.list(runDir)) {
                    log = files.filter(p -> p.getFileName().toString().matches("l2-\\d+-jvmm-nvme-rw\\.log"))
                            .findFirst().orElse(null);
                }
            }
            if (log != null && Files.size(log) > offset) {
                try (RandomAccessFile in = new RandomAccessFile(log.toFile(), "r")) {
                    in.seek(offset);
                    byte[] bytes = new byte[(int) (in.length() - offset)];
                    in.readFully(bytes);
                    offset += bytes.length;
                    System.out.print(Text.clean(new String(bytes, StandardCharsets.UTF_8)));
                    System.out.flush();
                }
            }
            if (last) {
                return;
            }
            Thread.sleep(200);
        }
    }
}
