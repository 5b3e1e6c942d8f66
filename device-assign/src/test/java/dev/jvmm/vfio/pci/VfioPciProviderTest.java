package dev.jvmm.vfio.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.cli.VmConfig;
import dev.jvmm.memory.sys.Errno;
import dev.jvmm.pci.PciBdf;
import dev.jvmm.vmm.DeviceProvider;
import dev.jvmm.vmm.DeviceSetupException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -device vfio-pci} as bin/vmm hands it over: found through ServiceLoader, host= or sysfsdev=
 * resolved, and every host failure of the attach sequence (their exact wording is VfioAttachErrorsTest's)
 * turned into one line that names the option, leaving nothing behind.
 */
class VfioPciProviderTest {

    @TempDir
    Path root;

    static VmConfig.DeviceSpec host(String bdf, String id, Integer slot) {
        return new VmConfig.DeviceSpec.VfioPci(Optional.of(bdf), Optional.empty(), id, Optional.ofNullable(slot));
    }

    @Test
    void binVmmFindsItThroughServiceLoader() {
        List<DeviceProvider> found = ServiceLoader.load(DeviceProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertEquals(1, found.size());
        assertTrue(found.getFirst() instanceof VfioPciProvider);
        assertTrue(found.getFirst().accepts(host("0000:01:00.0", "a", null)));
    }

    @Test
    void sysfsdevNamesTheDeviceByItsLastElement() {
        VmConfig.DeviceSpec spec = new VmConfig.DeviceSpec.VfioPci(Optional.empty(),
                Optional.of(Path.of("/sys/bus/pci/devices/0000:01:00.0")), "nvme", Optional.of(4));
        assertEquals(new AssignedDevices.Request(PciBdf.parse("0000:01:00.0"), "nvme", Optional.of(4)),
                VfioPciProvider.request(spec));
        DeviceSetupException e = assertThrows(DeviceSetupException.class, () -> VfioPciProvider.request(
                new VmConfig.DeviceSpec.VfioPci(Optional.empty(), Optional.of(Path.of("/sys/bus/pci/devices")), "x",
                        Optional.empty())));
        assertTrue(e.getMessage().startsWith("-device vfio-pci (x): ") && e.getMessage().endsWith(
                "sysfsdev= must end in the device's address, e.g. /sys/bus/pci/devices/0000:01:00.0"), e.getMessage());
    }

    @Test
    void hostFailuresBecomeOneLineNamingTheOptionAndLeaveNothing() {
        try (AssignWorld w = new AssignWorld(root)) {
            DeviceSetupException missing = assertThrows(DeviceSetupException.class, () -> VfioPciProvider.attach(
                    w.kernel, w.host.sysfs(), List.of(host("0000:05:00.0", "a", null)), w.target()));
            assertEquals("-device vfio-pci: no PCI device 0000:05:00.0. Fix: see lspci -D for the devices this host has",
                    missing.getMessage());

            w.nvme.driver("nvme");
            DeviceSetupException unbound = assertThrows(DeviceSetupException.class, () -> VfioPciProvider.attach(
                    w.kernel, w.host.sysfs(), List.of(host(AssignWorld.NVME, "a", null)), w.target()));
            assertTrue(unbound.getMessage().startsWith("-device vfio-pci: device 0000:01:00.0 (1b36:0010) is bound"
                    + " to nvme, not vfio-pci. Fix: "), unbound.getMessage());
            w.nvme.driver("vfio-pci");

            w.nvme.inUseElsewhere(true);
            DeviceSetupException busy = assertThrows(DeviceSetupException.class, () -> VfioPciProvider.attach(
                    w.kernel, w.host.sysfs(), List.of(host(AssignWorld.NVME, "a", null)), w.target()));
            assertTrue(busy.getMessage().contains("device 0000:01:00.0 is in use by another process"), busy.getMessage());
            w.nvme.inUseElsewhere(false);

            w.kernel.memlockLimit(1 << 20);
            DeviceSetupException memlock = assertThrows(DeviceSetupException.class, () -> VfioPciProvider.attach(
                    w.kernel, w.host.sysfs(), List.of(host(AssignWorld.NVME, "a", null)), w.target()));
            assertTrue(memlock.getMessage().contains("RLIMIT_MEMLOCK"), memlock.getMessage());
            w.kernel.memlockLimit(-1);

            w.kernel.failWhen("VFIO_DEVICE_SET_IRQS(unmask eventfd)", Errno.EINVAL);
            DeviceSetupException irq = assertThrows(DeviceSetupException.class, () -> VfioPciProvider.attach(
                    w.kernel, w.host.sysfs(), List.of(host(AssignWorld.NVME, "a", null)), w.target()));
            assertTrue(irq.getMessage().startsWith("-device vfio-pci: VFIO_DEVICE_SET_IRQS(unmask eventfd)"),
                    irq.getMessage());
            for (DeviceSetupException e : List.of(missing, unbound, busy, memlock, irq)) {
                assertTrue(!e.getMessage().contains("\n"), e.getMessage());
            }
            assertEquals(List.of(), w.leftovers());
        }
    }
}
