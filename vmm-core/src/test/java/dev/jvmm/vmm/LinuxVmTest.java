package dev.jvmm.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.boot.SyntheticBzImage;
import dev.jvmm.cli.CommandLineOptions;
import dev.jvmm.cli.VmConfig;
import dev.jvmm.kvm.testing.GuestProgram;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled Linux VM on this machine's KVM, with a stand-in kernel (guest/kernel_stub.S) that talks
 * to the platform's 16550 and reboots through the i8042.
 */
class LinuxVmTest {
    @TempDir
    Path dir;

    private Path stubKernel() throws IOException {
        byte[] entry = GuestProgram.assemble("guest/kernel_stub.S").bytes();
        return Files.write(dir.resolve("bzImage"), new SyntheticBzImage().withEntryCode(entry).build());
    }

    @Test
    void theBootVcpuReachesTheKernelWhichTalksToTheUartAndResetsThroughTheI8042() throws Exception {
        VmConfig config = CommandLineOptions.parse(new String[] {"-kernel", stubKernel().toString(), "-m", "64",
                "-smp", System.getProperty("smp", "2")}, new PrintWriter(new StringWriter()));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        LinuxVm.Exit exit;
        try (LinuxVm vm = LinuxVm.create(config, console)) {
            assertEquals(Integer.getInteger("smp", 2), vm.vm().vcpus().size());
            exit = vm.run();
        }
        assertEquals(LinuxVm.Outcome.RESET, exit.outcome(), exit.toString());
        // 64 MiB: RAM below the EBDA, the reserved legacy area, RAM from 1 MiB, the reserved ECAM window.
        assertEquals("kernel stub on ttyS0\n4\n", console.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void mainRebootsUnlessToldNotToAndLeavesNothingOpen() throws Exception {
        List<String> before = kvmDescriptors();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"-kernel", stubKernel().toString(), "-m", "128", "-no-reboot"},
                new PrintStream(out, true), new PrintStream(err, true), new java.io.ByteArrayInputStream(new byte[0]));
        assertEquals(0, rc, err.toString());
        assertTrue(out.toString().startsWith("kernel stub on ttyS0\n"), out.toString());
        assertEquals(before, kvmDescriptors());
    }

    @Test
    void mainRefusesWhatDoesNotFitWithOneLine() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path bigInitrd = Files.write(dir.resolve("initrd"), new byte[40 << 20]);
        int rc = Main.run(new String[] {"-kernel", stubKernel().toString(), "-initrd", bigInitrd.toString(),
                "-m", "32"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true),
                new java.io.ByteArrayInputStream(new byte[0]));
        assertEquals(2, rc);
        String message = err.toString().strip();
        assertTrue(message.startsWith("jvmm: ") && !message.contains("\n"), message);
        assertTrue(message.contains("-m"), message);
        assertTrue(!message.contains("Exception"), message);

        err.reset();
        rc = Main.run(new String[] {"-kernel", stubKernel().toString(), "-smp", "255"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true),
                new java.io.ByteArrayInputStream(new byte[0]));
        String smp = err.toString().strip();
        if (rc == 2) {
            assertTrue(smp.contains("this host's KVM allows at most"), smp);
        } else {
            assertEquals(0, rc, smp); // a host whose KVM allows 255 vCPUs boots the stub 255 times over
        }
    }

    private static List<String> kvmDescriptors() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(p).toString();
                    if (target.contains("kvm") || target.contains("jvmm-guest-ram")) {
                        found.add(target);
                    }
                } catch (IOException gone) {
                    // the listing's own descriptor
                }
            }
        }
        return found;
    }
}
