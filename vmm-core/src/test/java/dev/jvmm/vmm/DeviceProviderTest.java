package dev.jvmm.vmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.boot.LowMemory;
import dev.jvmm.boot.MpTable;
import dev.jvmm.boot.SyntheticBzImage;
import dev.jvmm.cli.CommandLineOptions;
import dev.jvmm.cli.ConfigException;
import dev.jvmm.cli.VmConfig;
import dev.jvmm.kvm.testing.GuestProgram;
import dev.jvmm.kvm.testing.HostThreads;
import dev.jvmm.pci.PciBar;
import dev.jvmm.pci.PciBdf;
import dev.jvmm.pci.PciConfigSpace;
import dev.jvmm.pci.PciDevice;
import dev.jvmm.pci.PciIdentity;
import dev.jvmm.pci.PciIntxRouting;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -device}s through {@link DeviceProvider}: found or refused before anything is allocated, attached
 * with the machine, described in the MP table, detached after the vCPUs stopped and before the VM goes.
 */
class DeviceProviderTest {
    @TempDir
    Path dir;

    private Path stubKernel() throws IOException {
        byte[] entry = GuestProgram.assemble("guest/kernel_stub.S").bytes();
        return Files.write(dir.resolve("bzImage"), new SyntheticBzImage().withEntryCode(entry).build());
    }

    private VmConfig config(String... device) throws IOException {
        List<String> args = new ArrayList<>(List.of("-kernel", stubKernel().toString(), "-m", "64", "-smp", "2"));
        for (String d : device) {
            args.add("-device");
            args.add(d);
        }
        return CommandLineOptions.parse(args.toArray(String[]::new), new PrintWriter(new StringWriter()));
    }

    /** An emulated function with INTA#, standing in for an assigned device. */
    static PciDevice functionWithIntA(String name) {
        PciConfigSpace config = PciConfigSpace.type0(new PciIdentity(0x1234, 0x11e8, 0x10, 0x00ff00, 0x1af4, 0x1100),
                PciConfigSpace.CONVENTIONAL_SIZE);
        config.setInterruptPin(1);
        return new PciDevice() {
            public String name() { return name; }
            public int configRead(int offset, int size) { return config.read(offset, size); }
            public void configWrite(int offset, int size, int value) { config.write(offset, size, value); }
            public List<PciBar> bars() { return config.bars(); }
        };
    }

    /** Records what it was given and how the VM looked when it was detached. */
    static final class Recording implements DeviceProvider {
        final List<String> events = new ArrayList<>();
        Machine machine;
        List<VmConfig.DeviceSpec> specs;
        RuntimeException failure;

        @Override
        public boolean accepts(VmConfig.DeviceSpec spec) {
            return spec instanceof VmConfig.DeviceSpec.VfioPci;
        }

        @Override
        public AutoCloseable attach(List<VmConfig.DeviceSpec> specs, Machine machine) {
            this.specs = specs;
            this.machine = machine;
            if (failure != null) {
                throw failure;
            }
            for (VmConfig.DeviceSpec s : specs) {
                VmConfig.DeviceSpec.VfioPci v = (VmConfig.DeviceSpec.VfioPci) s;
                PciBdf at = machine.pci().add(functionWithIntA(v.id()), PciBdf.of(0, v.addr().orElseThrow(), 0));
                events.add("attached " + v.id() + " at " + at.toShortString());
            }
            return () -> events.add("detached; memslots " + machine.vm().memslots().slots().size());
        }
    }

    @Test
    void aDeviceNoProviderBuildsIsRefusedInOneLineWithExit2() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"-kernel", stubKernel().toString(), "-device", "vfio-pci,host=0000:01:00.0"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true),
                new ByteArrayInputStream(new byte[0]));
        assertEquals(2, rc);
        String message = err.toString().strip();
        assertEquals("jvmm: -device vfio-pci (vfio0): no implementation of vfio-pci is on the class path; the"
                + " device-assign module's jar and its target/lib must be there (bin/vmm adds them after a full build)",
                message);
    }

    @Test
    void twoProvidersForOneKindAreRefusedBeforeAnythingIsAllocated() throws Exception {
        List<String> before = HostThreads.kvmDescriptors();
        ConfigException e = assertThrows(ConfigException.class, () -> LinuxVm.create(
                config("vfio-pci,host=0000:01:00.0,addr=3"), new ByteArrayOutputStream(),
                List.of(new Recording(), new Recording())));
        assertTrue(e.getMessage().startsWith("-device vfio-pci: 2 implementations are on the class path"), e.getMessage());
        assertEquals(before, HostThreads.kvmDescriptors());
    }

    @Test
    void devicesAreAttachedDescribedInTheMpTableAndDetachedAfterTheVcpusBeforeTheVm() throws Exception {
        Recording provider = new Recording();
        LinuxVm.Exit exit;
        LinuxVm vm = LinuxVm.create(config("vfio-pci,host=0000:01:00.0,id=edu,addr=3",
                "vfio-pci,host=0000:02:00.0,id=nvme,addr=4"), new ByteArrayOutputStream(), List.of(provider));
        try (vm) {
            assertEquals(List.of("attached edu at 00:03.0", "attached nvme at 00:04.0"), provider.events);
            assertEquals(2, provider.specs.size());
            assertSame(vm.platform().pci(), provider.machine.pci());
            assertSame(vm.platform().mmio(), provider.machine.mmio());
            assertSame(vm.platform().pio(), provider.machine.pio());
            assertSame(vm.vm(), provider.machine.vm());
            assertSame(vm.ram(), provider.machine.ram());
            List<PciIntxRouting.Route> routes = List.of(new PciIntxRouting.Route(3, 1, 19),
                    new PciIntxRouting.Route(4, 1, 20));
            byte[] expected = MpTable.encode(2, LowMemory.MP_TABLE, routes);
            assertArrayEquals(expected, vm.ram().read(LowMemory.MP_TABLE, expected.length),
                    "the MP table routes each device's INTA# to its GSI");
            exit = vm.run();
        }
        assertEquals(LinuxVm.Outcome.RESET, exit.outcome(), exit.toString());
        int ramSlots = vm.ram().regions().size();
        assertEquals(List.of("attached edu at 00:03.0", "attached nvme at 00:04.0",
                "detached; memslots " + ramSlots), provider.events, "detached while guest RAM was still in its memslots");
    }

    @Test
    void aFailingAttachIsOneLineWithExit1AndLeavesNothingOpen() throws Exception {
        List<String> before = HostThreads.kvmDescriptors();
        Recording provider = new Recording();
        provider.failure = new DeviceSetupException("device 0000:01:00.0: no such device. Fix: see lspci -D");
        assertThrows(DeviceSetupException.class, () -> LinuxVm.create(config("vfio-pci,host=0000:01:00.0,addr=3"),
                new ByteArrayOutputStream(), List.of(provider)));
        assertEquals(before, HostThreads.kvmDescriptors());
    }
}
