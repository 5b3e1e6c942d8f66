package dev.jvmm.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.boot.SyntheticBzImage;
import dev.jvmm.cli.CommandLineOptions;
import dev.jvmm.cli.VmConfig;
import dev.jvmm.kvm.testing.GuestProgram;
import dev.jvmm.kvm.testing.HostThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    void theGuestFindsTheAcpiTablesThroughTheZeroPageAndPowersOffThroughPm1aCnt() throws Exception {
        byte[] entry = GuestProgram.assemble("guest/kernel_acpi_off.S").bytes();
        Path kernel = Files.write(dir.resolve("acpi.bzImage"), new SyntheticBzImage().withEntryCode(entry).build());
        VmConfig config = CommandLineOptions.parse(new String[] {"-kernel", kernel.toString(), "-m", "64",
                "-smp", "2"}, new PrintWriter(new StringWriter()));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        LinuxVm.Exit exit;
        try (LinuxVm vm = LinuxVm.create(config, console)) {
            assertTrue(vm.powerButton().isPresent(), "the ACPI PM1 block is the machine's power button");
            assertEquals(vm.platform().acpiPm(), vm.powerButton().orElseThrow());
            exit = vm.run();
        }
        assertEquals("rsdp ok\n", console.toString(StandardCharsets.US_ASCII));
        assertEquals(LinuxVm.Outcome.POWER_OFF, exit.outcome(), exit.toString());
    }

    @Test
    void mainExitsZeroWhenTheGuestEntersS5() throws Exception {
        byte[] entry = GuestProgram.assemble("guest/kernel_acpi_off.S").bytes();
        Path kernel = Files.write(dir.resolve("acpi.bzImage"), new SyntheticBzImage().withEntryCode(entry).build());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"-kernel", kernel.toString(), "-m", "64"}, new PrintStream(out, true),
                new PrintStream(err, true), new java.io.ByteArrayInputStream(new byte[0]));
        assertEquals(0, rc, err.toString());
        assertEquals("rsdp ok\n", out.toString(StandardCharsets.US_ASCII));
        assertEquals("", err.toString(), "a power-off is no restart and no error");
    }

    @Test
    void whilePausedTheGuestClockStandsStill() throws Exception {
        byte[] entry = GuestProgram.assemble("guest/kernel_spin.S").bytes();
        Path kernel = Files.write(dir.resolve("spin.bzImage"), new SyntheticBzImage().withEntryCode(entry).build());
        VmConfig config = CommandLineOptions.parse(new String[] {"-kernel", kernel.toString(), "-m", "64"},
                new PrintWriter(new StringWriter()));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (LinuxVm vm = LinuxVm.create(config, console)) {
            vm.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!console.toString(StandardCharsets.US_ASCII).contains("kernel spin on ttyS0\n")) {
                assertTrue(System.nanoTime() < deadline, "the stand-in kernel did not print: " + console);
                Thread.sleep(5);
            }
            vm.pause(Duration.ofSeconds(5));
            assertTrue(vm.isPaused());
            long atPause = vm.vm().fd().getClock();
            Thread.sleep(300);
            vm.resume();
            long afterResume = vm.vm().fd().getClock();
            assertTrue(afterResume - atPause < TimeUnit.MILLISECONDS.toNanos(100),
                    "the guest clock moved " + (afterResume - atPause) / 1_000_000 + " ms over a 300 ms pause");
            Thread.sleep(100);
            assertTrue(vm.vm().fd().getClock() - afterResume >= TimeUnit.MILLISECONDS.toNanos(100),
                    "after the resume the clock follows host time again");
            assertTrue(vm.hostStop("test over"));
            assertEquals(LinuxVm.Outcome.HOST_STOP, vm.awaitExit().outcome());
        }
    }

    @Test
    void mainRebootsUnlessToldNotToAndLeavesNothingOpen() throws Exception {
        List<String> before = HostThreads.kvmDescriptors();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"-kernel", stubKernel().toString(), "-m", "128", "-no-reboot"},
                new PrintStream(out, true), new PrintStream(err, true), new java.io.ByteArrayInputStream(new byte[0]));
        assertEquals(0, rc, err.toString());
        assertTrue(out.toString().startsWith("kernel stub on ttyS0\n"), out.toString());
        assertEquals(before, HostThreads.kvmDescriptors());
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
}
