package dev.jvmm.testhost;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The main job on a machine without VFIO ({@code bin/demo}): starts the nested test host, binds L1's
 * emulated NVMe to vfio-pci, and has jvmm's {@code bin/vmm} in L1 boot the L2 guest with the NVMe assigned
 * ({@code -smp 2 -m 512 -device vfio-pci,host=BDF}). The guest's console is shown as it appears; the guest
 * binds its stock nvme driver, writes and reads back 8 MiB with O_DIRECT and prints the check's result.
 * Exit status 0 when the check passed and the VMM exited 0.
 */
public final class NvmeDemo {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    private NvmeDemo() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("demo: starting the test host (QEMU TCG L1 with an emulated Intel IOMMU and NVMe)");
        int status;
        try (TestHost host = TestHost.start("demo", TestHostOptions.defaults().withDevices(EmulatedDevice.NVME))) {
            VfioBinding nvme = host.bindToVfio(EmulatedDevice.NVME);
            System.out.println("demo: L1's NVMe " + nvme.device() + " is bound to vfio-pci (IOMMU group "
                    + nvme.iommuGroup() + ")");
            JvmmL2Vmm vmm = JvmmL2Vmm.ofThisProject();
            String log = host.newL2Log(vmm, "demo");
            L2Launch launch = host.l2Launch(L2Test.NVME_RW, Optional.of(nvme.device())).withVcpus(2)
                    .withConsoleLog(L1Machine.L1_RUN + "/" + log);
            String command = vmm.command(launch);
            System.out.println("demo: in L1: " + command.lines().filter(l -> l.contains("bin/vmm")).findFirst()
                    .orElse(command).strip());
            System.out.println("---------------- L2 console ----------------");
            CompletableFuture<ExecResult> run = CompletableFuture.supplyAsync(() -> host.exec(command, RUN_TIMEOUT));
            long shown = 0;
            Path console = host.runDir().resolve(log);
            while (!run.isDone()) {
                shown = show(console, shown);
                Thread.sleep(200);
            }
            show(console, shown);
            ExecResult vmmRun = run.join();
            System.out.println("--------------------------------------------");
            L2Result result = L2Result.parse(L2Test.NVME_RW, Files.exists(console) ? Files.readString(console) : "", vmmRun);
            System.out.println("demo: bin/vmm exited with status " + vmmRun.exitCode());
            System.out.println("demo: guest check " + (result.passed() ? "PASSED" : "FAILED") + ": " + result.detail());
            if (vmmRun.exitCode() != 0) {
                System.out.println("demo: VMM output:\n" + Text.tail(vmmRun.output(), 20));
            }
            status = result.passed() && vmmRun.exitCode() == 0 ? 0 : 1;
        }
        System.exit(status);
    }

    /** Prints what {@code file} gained since {@code offset}; returns the new offset. */
    private static long show(Path file, long offset) throws IOException {
        if (!Files.exists(file)) {
            return offset;
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            if (in.length() <= offset) {
                return offset;
            }
            byte[] bytes = new byte[(int) (in.length() - offset)];
            in.seek(offset);
            in.readFully(bytes);
            System.out.print(Text.clean(new String(bytes, StandardCharsets.UTF_8)));
            System.out.flush();
            return offset + bytes.length;
        }
    }
}
