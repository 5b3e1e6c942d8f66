package dev.jvmm.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.acpi.AcpiPm;
import dev.jvmm.boot.SyntheticBzImage;
import dev.jvmm.cli.CommandLineOptions;
import dev.jvmm.cli.VmConfig;
import dev.jvmm.kvm.testing.GuestProgram;
import dev.jvmm.kvm.testing.HostThreads;
import dev.jvmm.pci.PciBdf;
import dev.jvmm.pci.PciFunctionSummary;
import dev.jvmm.pci.PciIdentity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane driving real VMs on this machine's KVM, through {@link Main}'s wiring (a channel
 * provider handed to {@code Main.run} receives the {@link VmControlPlane}, as qmp-api's does), with
 * stand-in kernels: guest/kernel_spin.S prints and spins, guest/kernel_stub.S prints and resets.
 */
class VmControllerTest {
    private static final String SPIN_BANNER = "kernel spin on ttyS0\n";

    @TempDir
    Path dir;

    private Path kernel(String program) throws IOException {
        byte[] entry = GuestProgram.assemble(program).bytes();
        return Files.write(dir.resolve(program.replace('/', '-') + ".bzImage"),
                new SyntheticBzImage().withEntryCode(entry).build());
    }

    @Test
    void pauseParksTheVcpusResumeRunsThemAndQuitEndsMainWithNothingLeftOpen() throws Exception {
        List<String> before = HostThreads.kvmDescriptors();
        try (Vmm vmm = new Vmm("-kernel", kernel("guest/kernel_spin.S").toString(), "-m", "64", "-smp", "2")) {
            VmControlPlane control = vmm.control();
            vmm.awaitConsole(SPIN_BANNER, 1);
            assertEquals(RunStatus.RUNNING, control.status().get(10, TimeUnit.SECONDS));

            List<VcpuInfo> vcpus = control.vcpus().get(10, TimeUnit.SECONDS);
            assertEquals(List.of(0, 1), vcpus.stream().map(VcpuInfo::index).toList());
            for (VcpuInfo v : vcpus) {
                assertTrue(HostThreads.isThreadOfThisProcess(v.hostThreadId()), v.toString());
                assertEquals(v.index(), v.core());
            }
            long bsp = vcpus.getFirst().hostThreadId();
            assertTrue(HostThreads.cpuTimeOver(bsp, 200) > TimeUnit.MILLISECONDS.toNanos(20), "the boot vCPU spins while running");

            control.pause().get(10, TimeUnit.SECONDS);
            assertInstanceOf(LifecycleEvent.Stop.class, vmm.nextEvent());
            assertEquals(RunStatus.PAUSED, control.status().get(10, TimeUnit.SECONDS));
            HostThreads.awaitSleeping(bsp, "paused");
            long paused = HostThreads.cpuTimeOver(bsp, 200);
            assertTrue(paused < TimeUnit.MILLISECONDS.toNanos(5), "a paused vCPU ran " + paused + " ns in 200 ms");
            control.pause().get(10, TimeUnit.SECONDS);
            assertNull(vmm.events.poll(), "pausing a paused VM publishes nothing");

            control.resume().get(10, TimeUnit.SECONDS);
            assertInstanceOf(LifecycleEvent.Resume.class, vmm.nextEvent());
            assertEquals(RunStatus.RUNNING, control.status().get(10, TimeUnit.SECONDS));
            assertTrue(HostThreads.cpuTimeOver(bsp, 200) > TimeUnit.MILLISECONDS.toNanos(20), "the boot vCPU spins again");

            List<PciFunctionSummary> pci = control.pciFunctions().get(10, TimeUnit.SECONDS);
            assertEquals(1, pci.size(), pci.toString());
            assertEquals(PciBdf.parse("00:00.0"), pci.getFirst().address());
            assertEquals(new PciIdentity(0x1b36, 0x0008, 0, 0x06_00_00, 0, 0), pci.getFirst().identity());

            control.powerdown().get(10, TimeUnit.SECONDS); // the stand-in kernel spins on, ignoring the SCI
            assertInstanceOf(LifecycleEvent.Powerdown.class, vmm.nextEvent());

            control.quit().get(10, TimeUnit.SECONDS);
            assertEquals(new Shutdown(false, ShutdownCause.HOST_QMP_QUIT), Shutdown.of(vmm.nextEvent()));
            assertEquals(0, vmm.exitCode(), vmm.err.toString());
            assertTrue(vmm.channelClosed.get(), "Main closes the channel");
            ExecutionException closed = assertThrows(ExecutionException.class,
                    () -> control.status().get(10, TimeUnit.SECONDS));
            assertInstanceOf(VmControlException.class, closed.getCause());
        }
        assertEquals(before, HostThreads.kvmDescriptors());
    }

    @Test
    void aResetWhilePausedRebuildsTheVmWhichStaysPausedUntilResumed() throws Exception {
        try (Vmm vmm = new Vmm("-kernel", kernel("guest/kernel_spin.S").toString(), "-m", "64")) {
            VmControlPlane control = vmm.control();
            vmm.awaitConsole(SPIN_BANNER, 1);
            long oldThread = control.vcpus().get(10, TimeUnit.SECONDS).getFirst().hostThreadId();
            control.pause().get(10, TimeUnit.SECONDS);
            assertInstanceOf(LifecycleEvent.Stop.class, vmm.nextEvent());

            control.reset().get(10, TimeUnit.SECONDS);
            LifecycleEvent.Reset reset = assertInstanceOf(LifecycleEvent.Reset.class, vmm.nextEvent());
            assertEquals(false, reset.guest());
            assertEquals(ShutdownCause.HOST_QMP_SYSTEM_RESET, reset.cause());

            // vcpus() waits for the new VM.
            long newThread = control.vcpus().get(10, TimeUnit.SECONDS).getFirst().hostThreadId();
            assertNotEquals(oldThread, newThread, "a new VM has new vCPU threads");
            assertEquals(RunStatus.PAUSED, control.status().get(10, TimeUnit.SECONDS));
            HostThreads.awaitSleeping(newThread, "the rebuilt VM, paused");
            Thread.sleep(200);
            assertEquals(1, vmm.consoleCount(SPIN_BANNER), "the new VM must not run while paused");

            control.resume().get(10, TimeUnit.SECONDS);
            assertInstanceOf(LifecycleEvent.Resume.class, vmm.nextEvent());
            vmm.awaitConsole(SPIN_BANNER, 2);
            control.quit().get(10, TimeUnit.SECONDS);
            assertEquals(0, vmm.exitCode());
            assertTrue(vmm.err.toString().contains("jvmm: reset requested"), vmm.err.toString());
        }
    }

    @Test
    void guestResetsAreAnnouncedAndTheControlPlaneCarriesOnWithEachNewVm() throws Exception {
        try (Vmm vmm = new Vmm("-kernel", kernel("guest/kernel_stub.S").toString(), "-m", "64")) {
            VmControlPlane control = vmm.control();
            for (int i = 0; i < 3; i++) {
                assertEquals(new Shutdown(true, ShutdownCause.GUEST_RESET), Shutdown.ofReset(vmm.nextEvent()), "reset " + i);
            }
            control.quit().get(10, TimeUnit.SECONDS);
            // The guest may reset once more before the quit lands; the quit's SHUTDOWN comes last.
            LifecycleEvent last;
            while (!((last = vmm.nextEvent()) instanceof LifecycleEvent.Shutdown)) {
                assertInstanceOf(LifecycleEvent.Reset.class, last);
            }
            assertEquals(new Shutdown(false, ShutdownCause.HOST_QMP_QUIT), Shutdown.of(last));
            assertEquals(0, vmm.exitCode());
        }
    }

    @Test
    void underNoRebootAGuestResetIsAShutdownAndMainExits() throws Exception {
        try (Vmm vmm = new Vmm("-kernel", kernel("guest/kernel_stub.S").toString(), "-m", "64", "-no-reboot")) {
            assertEquals(new Shutdown(true, ShutdownCause.GUEST_RESET), Shutdown.of(vmm.nextEvent()));
            assertEquals(0, vmm.exitCode());
            assertNull(vmm.events.poll());
        }
    }

    @Test
    void quitEndsAPausedVm() throws Exception {
        try (Vmm vmm = new Vmm("-kernel", kernel("guest/kernel_spin.S").toString(), "-m", "64", "-smp", "2")) {
            VmControlPlane control = vmm.control();
            vmm.awaitConsole(SPIN_BANNER, 1);
            control.pause().get(10, TimeUnit.SECONDS);
            assertInstanceOf(LifecycleEvent.Stop.class, vmm.nextEvent());
            control.quit().get(10, TimeUnit.SECONDS);
            assertEquals(new Shutdown(false, ShutdownCause.HOST_QMP_QUIT), Shutdown.of(vmm.nextEvent()));
            assertEquals(0, vmm.exitCode(), vmm.err.toString());
            assertEquals("", vmm.err.toString(), "a clean exit says nothing");
        }
    }

    @Test
    void underNoRebootAHostResetIsAShutdownAndMainExits() throws Exception {
        try (Vmm vmm = new Vmm("-kernel", kernel("guest/kernel_spin.S").toString(), "-m", "64", "-no-reboot")) {
            VmControlPlane control = vmm.control();
            vmm.awaitConsole(SPIN_BANNER, 1);
            control.reset().get(10, TimeUnit.SECONDS);
            assertEquals(new Shutdown(false, ShutdownCause.HOST_QMP_SYSTEM_RESET), Shutdown.of(vmm.nextEvent()));
            assertEquals(0, vmm.exitCode());
            assertEquals(1, vmm.consoleCount(SPIN_BANNER), "no second run");
            assertNull(vmm.events.poll(), "the end was announced once");
        }
    }

    @Test
    void aSignalStopsTheVmWithTheHostSignalCause() throws Exception {
        try (Vmm vmm = new Vmm("-kernel", kernel("guest/kernel_spin.S").toString(), "-m", "64")) {
            VmController control = (VmController) vmm.control();
            vmm.awaitConsole(SPIN_BANNER, 1);
            assertTrue(control.hostSignal("SIGTERM"));
            assertEquals(new Shutdown(false, ShutdownCause.HOST_SIGNAL), Shutdown.of(vmm.nextEvent()));
            assertEquals(0, vmm.exitCode());
            assertEquals(false, control.hostSignal("SIGTERM"), "closed once Main returned");
        }
    }

    @Test
    void powerdownPressesTheAcpiPowerButton() throws Exception {
        VmConfig config = CommandLineOptions.parse(new String[] {"-kernel", kernel("guest/kernel_spin.S").toString(),
                "-m", "64"}, new PrintWriter(new StringWriter()));
        LinkedBlockingQueue<LifecycleEvent> events = new LinkedBlockingQueue<>();
        try (VmController control = new VmController(false);
             LinuxVm vm = LinuxVm.create(config, new ByteArrayOutputStream())) {
            control.subscribe(events::add);
            AcpiPm pm = vm.platform().acpiPm();
            assertEquals(0, pm.read(0, 2) & AcpiPm.PWRBTN_STS);
            CompletableFuture<Void> early = control.powerdown(); // before attach: waits for the VM
            control.attach(vm);
            early.get(10, TimeUnit.SECONDS);
            assertEquals(AcpiPm.PWRBTN_STS, pm.read(0, 2) & AcpiPm.PWRBTN_STS, "PM1a_STS.PWRBTN_STS after the press");
            pm.write(0, 2, AcpiPm.PWRBTN_STS); // the guest's SCI handler would clear it
            control.powerdown().get(10, TimeUnit.SECONDS);
            assertEquals(AcpiPm.PWRBTN_STS, pm.read(0, 2) & AcpiPm.PWRBTN_STS, "pressed again");
            assertInstanceOf(LifecycleEvent.Powerdown.class, events.poll(10, TimeUnit.SECONDS));
            assertInstanceOf(LifecycleEvent.Powerdown.class, events.poll(10, TimeUnit.SECONDS));

            control.quit().get(10, TimeUnit.SECONDS);
            LinuxVm.Exit exit = vm.awaitExit();
            assertEquals(LinuxVm.Outcome.HOST_STOP, exit.outcome());
            assertEquals(false, control.vmEnded(exit));
            assertEquals(new Shutdown(false, ShutdownCause.HOST_QMP_QUIT), Shutdown.of(events.poll(10, TimeUnit.SECONDS)));
            assertNull(events.poll(), "the end was announced once");
            ExecutionException gone = assertThrows(ExecutionException.class,
                    () -> control.pciFunctions().get(10, TimeUnit.SECONDS));
            assertTrue(gone.getCause().getMessage().contains("the VM has shut down"), gone.getCause().getMessage());
        }
    }

    @Test
    void qmpWithoutAChannelImplementationIsRefusedInOneLine() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"-kernel", kernel("guest/kernel_spin.S").toString(), "-qmp",
                "unix:" + dir.resolve("qmp.sock") + ",server=on,wait=off"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true), new ByteArrayInputStream(new byte[0]));
        assertEquals(2, rc);
        String message = err.toString().strip();
        assertTrue(message.startsWith("jvmm: -qmp: no control channel implementation") && !message.contains("\n"),
                message);
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** A SHUTDOWN or RESET reduced to what the tests compare. */
    record Shutdown(boolean guest, ShutdownCause cause) {
        static Shutdown of(LifecycleEvent e) {
            LifecycleEvent.Shutdown s = assertInstanceOf(LifecycleEvent.Shutdown.class, e);
            return new Shutdown(s.guest(), s.cause());
        }

        static Shutdown ofReset(LifecycleEvent e) {
            LifecycleEvent.Reset r = assertInstanceOf(LifecycleEvent.Reset.class, e);
            return new Shutdown(r.guest(), r.cause());
        }
    }

    /** Main.run on its own thread, with a channel provider that hands the control plane to the test. */
    final class Vmm implements AutoCloseable {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final LinkedBlockingQueue<LifecycleEvent> events = new LinkedBlockingQueue<>();
        final AtomicBoolean channelClosed = new AtomicBoolean();
        private final CompletableFuture<VmControlPlane> control = new CompletableFuture<>();
        private final CompletableFuture<Integer> exit = new CompletableFuture<>();

        Vmm(String... args) {
            Path socket = dir.resolve("qmp.sock");
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("-serial", "stdio", "-qmp", "unix:" + socket + ",server=on,wait=off"));
            ControlChannelProvider provider = (spec, plane) -> {
                assertEquals(new VmConfig.QmpSpec.Unix(socket), spec);
                plane.subscribe(events::add);
                control.complete(plane);
                return () -> channelClosed.set(true);
            };
            Thread.ofPlatform().name("main-under-test").daemon(true).start(() -> {
                try {
                    exit.complete(Main.run(all.toArray(String[]::new), new PrintStream(out, true),
                            new PrintStream(err, true), new ByteArrayInputStream(new byte[0]), List.of(provider)));
                } catch (Throwable t) {
                    exit.completeExceptionally(t);
                    control.completeExceptionally(t);
                }
            });
        }

        VmControlPlane control() throws Exception {
            return control.get(30, TimeUnit.SECONDS);
        }

        LifecycleEvent nextEvent() throws InterruptedException {
            LifecycleEvent e = events.poll(10, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("no event within 10 s; stderr: " + err);
            }
            return e;
        }

        int exitCode() throws Exception {
            return exit.get(30, TimeUnit.SECONDS);
        }

        int consoleCount(String text) {
            String all;
            synchronized (out) {
                all = out.toString();
            }
            int n = 0;
            for (int i = all.indexOf(text); i >= 0; i = all.indexOf(text, i + 1)) {
                n++;
            }
            return n;
        }

        void awaitConsole(String text, int times) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (consoleCount(text) < times) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("console did not show " + times + " x " + text.strip() + "; got: " + out
                            + "; stderr: " + err);
                }
                Thread.sleep(5);
            }
        }

        /** Quits a VMM the test left running, so no VM outlives its test. */
        @Override
        public void close() throws Exception {
            if (!exit.isDone() && control.isDone()) {
                control.get().quit();
                exit.get(30, TimeUnit.SECONDS);
            }
        }
    }
}
