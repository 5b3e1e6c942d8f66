package dev.jvmm.vfio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.memory.ValidIovaRange;
import dev.jvmm.memory.sys.Errno;
import dev.jvmm.memory.sys.ErrnoException;
import dev.jvmm.vfio.fake.FakeHost;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way attaching can fail on a misconfigured host, each with its exact message (cause and fix), and
 * each leaving nothing behind in the kernel.
 */
class VfioAttachErrorsTest {

    private static final String BIND_01_00_0 = "echo 0000:01:00.0 > /sys/bus/pci/devices/0000:01:00.0/driver/unbind;"
            + " echo vfio-pci > /sys/bus/pci/devices/0000:01:00.0/driver_override;"
            + " echo 0000:01:00.0 > /sys/bus/pci/drivers_probe";
    private static final String ENABLE_IOMMU = "enable VT-d/AMD-Vi in the firmware and boot the host with"
            + " intel_iommu=on (Intel) or amd_iommu=on (AMD)";

    @TempDir
    Path root;

    private static void assertClean(VfioWorld w) {
        assertEquals(List.of(), w.leftovers());
        assertEquals(0, w.kernel.pinnedBytes());
    }

    // ---- the device, in sysfs -----------------------------------------------------------------------

    @Test
    void aDeviceTheHostDoesNotHave() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            VfioException e = assertThrows(VfioException.class, () -> w.attach("0000:05:00.0"));
            assertEquals("no PCI device 0000:05:00.0. Fix: see lspci -D for the devices this host has", e.getMessage());
            assertEquals(List.of(), w.kernel.calls());
        }
    }

    @Test
    void aDeviceBoundToAHostDriver() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7).driver("nvme");
            VfioException e = assertThrows(VfioException.class, () -> w.attach("0000:01:00.0"));
            assertEquals("device 0000:01:00.0 (1b36:0010) is bound to nvme, not vfio-pci. Fix: " + BIND_01_00_0,
                    e.getMessage());
            assertEquals(List.of(), w.kernel.calls());
        }
    }

    @Test
    void aDeviceWithoutDriver() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7).driver(null).ids(0x1234, 0x11e8, 0x00ff00);
            VfioException e = assertThrows(VfioException.class, () -> w.attach("0000:01:00.0"));
            assertEquals("device 0000:01:00.0 (1234:11e8) has no driver, not vfio-pci. Fix:"
                    + " echo vfio-pci > /sys/bus/pci/devices/0000:01:00.0/driver_override;"
                    + " echo 0000:01:00.0 > /sys/bus/pci/drivers_probe", e.getMessage());
        }
    }

    @Test
    void aDeviceWithoutIommuGroup() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", -1);
            VfioException e = assertThrows(VfioException.class, () -> w.attach("0000:01:00.0"));
            assertEquals("device 0000:01:00.0 has no IOMMU group: the host kernel runs without an IOMMU. Fix: "
                    + ENABLE_IOMMU, e.getMessage());
        }
    }

    // ---- the group ------------------------------------------------------------------------------------

    private static final String NOIOMMU = "IOMMU group 3 (0000:01:00.0) is a VFIO no-IOMMU group"
            + " (/dev/vfio/noiommu-3): without an IOMMU there is no DMA translation and no isolation, so its"
            + " devices could DMA anywhere in host memory, and jvmm will not map guest RAM for them. Fix: "
            + ENABLE_IOMMU + ", without vfio.enable_unsafe_noiommu_mode";

    @Test
    void aNoIommuGroupIsRefusedByItsSysfsName() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 3);
            w.host.noIommu(3, true, false);
            VfioException e = assertThrows(VfioException.class, () -> w.attach("0000:01:00.0"));
            assertEquals(NOIOMMU, e.getMessage());
            assertTrue(w.kernel.calls().stream().noneMatch(c -> c.contains("/dev/vfio/3") || c.contains("MAP_DMA")));
            assertClean(w);
        }
    }

    @Test
    void aNoIommuGroupIsRefusedByItsNode() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 3);
            w.host.noIommu(3, false, true);
            VfioException e = assertThrows(VfioException.class, () -> w.attach("0000:01:00.0"));
            assertEquals(NOIOMMU, e.getMessage());
            assertTrue(w.kernel.calls().stream().noneMatch(c -> c.contains("noiommu-3") || c.contains("MAP_DMA")));
            assertClean(w);
        }
    }

    @Test
    void aGroupWhoseOtherDeviceHasAHostDriverIsNotViable() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            w.host.addDevice("0000:01:00.1", 7).driver("snd_hda_intel");
            VfioException e = assertThrows(VfioException.class, () -> w.attach("0000:01:00.0"));
            assertEquals("IOMMU group 7 is not viable: VFIO needs every device in it bound to vfio-pci or to no"
                    + " driver, since the IOMMU cannot isolate the devices of one group from each other. Fix:"
                    + " 0000:01:00.1 is bound to snd_hda_intel and shares IOMMU group 7:"
                    + " echo 0000:01:00.1 > /sys/bus/pci/devices/0000:01:00.1/driver/unbind;"
                    + " echo vfio-pci > /sys/bus/pci/devices/0000:01:00.1/driver_override;"
                    + " echo 0000:01:00.1 > /sys/bus/pci/drivers_probe", e.getMessage());
            assertClean(w);
        }
    }

    @Test
    void everyDeviceKeepingAGroupFromBeingViableIsNamed() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:02:00.0", 9);
            w.host.addDevice("0000:02:00.1", 9).driver("xhci_hcd");
            w.host.addDevice("0000:02:00.2", 9).driver(null);
            w.host.addDevice("0000:02:00.3", 9).driver("pci-stub");
            w.host.addDevice("0000:02:00.4", 9).driver("i2c-nvidia-gpu");
            VfioException e = assertThrows(VfioException.class, () -> w.attach("0000:02:00.0"));
            assertEquals("0000:02:00.1 is bound to xhci_hcd and shares IOMMU group 9:"
                    + " echo 0000:02:00.1 > /sys/bus/pci/devices/0000:02:00.1/driver/unbind;"
                    + " echo vfio-pci > /sys/bus/pci/devices/0000:02:00.1/driver_override;"
                    + " echo 0000:02:00.1 > /sys/bus/pci/drivers_probe."
                    + " 0000:02:00.4 is bound to i2c-nvidia-gpu and shares IOMMU group 9:"
                    + " echo 0000:02:00.4 > /sys/bus/pci/devices/0000:02:00.4/driver/unbind;"
                    + " echo vfio-pci > /sys/bus/pci/devices/0000:02:00.4/driver_override;"
                    + " echo 0000:02:00.4 > /sys/bus/pci/drivers_probe", e.fix());
            assertClean(w);
        }
    }

    @Test
    void aGroupAnotherProcessHasOpen() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            w.host.groupOpenElsewhere(7, true);
            ErrnoException e = assertThrows(ErrnoException.class, () -> w.attach("0000:01:00.0"));
            assertEquals("open (/dev/vfio/7) failed: EBUSY (16). Fix: IOMMU group 7 is in use by another process:"
                    + " find it with `lsof /dev/vfio/7`", e.getMessage());
            assertClean(w);
        }
    }

    @Test
    void aDeviceAnotherProcessHolds() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7).inUseElsewhere(true);
            ErrnoException e = assertThrows(ErrnoException.class, () -> w.attach("0000:01:00.0"));
            assertEquals("VFIO_GROUP_GET_DEVICE_FD (/dev/vfio/7, 0000:01:00.0) failed: EBUSY (16). Fix: device"
                    + " 0000:01:00.0 is in use by another process: find it with `lsof /dev/vfio/7`", e.getMessage());
            assertClean(w);
        }
    }

    @Test
    void aDeviceThatLeftTheGroupBeforeItWasOpened() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            w.kernel.failWhen("VFIO_GROUP_GET_DEVICE_FD", Errno.ENODEV);
            ErrnoException e = assertThrows(ErrnoException.class, () -> w.attach("0000:01:00.0"));
            assertEquals("VFIO_GROUP_GET_DEVICE_FD (/dev/vfio/7, 0000:01:00.0) failed: ENODEV (19). Fix: device"
                    + " 0000:01:00.0 is not a vfio-pci device of IOMMU group 7 now: check"
                    + " /sys/bus/pci/devices/0000:01:00.0/driver and /sys/kernel/iommu_groups/7/devices", e.getMessage());
            assertClean(w);
        }
    }

    // ---- the container --------------------------------------------------------------------------------

    @Test
    void noVfioInTheHostKernel() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            w.kernel.failWhen("open /dev/vfio/vfio", Errno.ENOENT);
            ErrnoException e = assertThrows(ErrnoException.class, () -> w.attach("0000:01:00.0"));
            assertEquals("open (/dev/vfio/vfio) failed: ENOENT (2). Fix: load VFIO with modprobe vfio-pci (the host"
                    + " kernel needs CONFIG_VFIO_PCI)", e.getMessage());
        }
    }

    @Test
    void anUnknownApiVersion() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            w.kernel.apiVersion(1);
            VfioException e = assertThrows(VfioException.class, () -> w.attach("0000:01:00.0"));
            assertEquals("the host's VFIO speaks API version 1, jvmm speaks version 0. Fix: run a Linux kernel whose"
                    + " VFIO has API version 0", e.getMessage());
            assertClean(w);
        }
    }

    @Test
    void noType1Iommu() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            w.kernel.type1v2(false).type1(false);
            VfioException e = assertThrows(VfioException.class, () -> w.attach("0000:01:00.0"));
            assertEquals("the host's VFIO offers neither the type1v2 nor the type1 IOMMU model. Fix: load"
                    + " vfio_iommu_type1 (modprobe vfio_iommu_type1) on a host with an IOMMU: " + ENABLE_IOMMU,
                    e.getMessage());
            assertClean(w);
        }
    }

    // ---- guest RAM ------------------------------------------------------------------------------------

    @Test
    void guestRamOverAReservedRegionOfTheGroup() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            w.host.reservedRegions(7, FakeHost.MSI_ONLY + "0x0000000000e00000 0x0000000000ffffff direct\n");
            VfioException e = assertThrows(VfioException.class, () -> w.attach("0000:01:00.0"));
            assertEquals("cannot map guest RAM for DMA by the devices of IOMMU group 7: guest RAM"
                    + " GpaRange[0x0..0x3ffffff, 64 MiB] would be DMA-mapped at IOVA = GPA over"
                    + " IovaRange[0xe00000..0xffffff, 2 MiB], which the host IOMMU reserves (direct): a device in the"
                    + " IOMMU group needs it identity-mapped for firmware (RMRR); give the guest at most 14 MiB of"
                    + " RAM (14680064 bytes, rounded down to your page size) so that it ends below 0xe00000, or"
                    + " assign a device without an RMRR", e.getMessage());
            assertTrue(w.kernel.calls().stream().noneMatch(c -> c.startsWith("VFIO_IOMMU_MAP_DMA")));
            assertClean(w);
        }
    }

    @Test
    void guestRamOutsideTheIovaRangesTheContainerReports() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            w.kernel.validRanges(List.of(ValidIovaRange.of(0, 0x1ff_ffffL), ValidIovaRange.of(0xfef0_0000L, (1L << 39) - 1)));
            VfioException e = assertThrows(VfioException.class, () -> w.attach("0000:01:00.0"));
            assertEquals("cannot map guest RAM for DMA by the devices of IOMMU group 7: guest RAM"
                    + " GpaRange[0x0..0x3ffffff, 64 MiB] would be DMA-mapped at IOVA = GPA over"
                    + " IovaRange[0x2000000..0xfeefffff, 4047 MiB], which the host IOMMU reserves"
                    + " (outside-valid-ranges): the IOMMU cannot translate these IOVAs (beyond its address width or a"
                    + " hole VFIO reports); give the guest at most 32 MiB of RAM (33554432 bytes, rounded down to your"
                    + " page size) so that it ends below 0x2000000", e.getMessage());
            assertClean(w);
        }
    }

    @Test
    void memlockTooLowIsCaughtBeforeMapping() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            w.kernel.memlockLimit(8L << 20);
            VfioException e = assertThrows(VfioException.class, () -> w.attach("0000:01:00.0"));
            assertEquals("guest RAM must be pinned in memory for device DMA: 64 MiB (67108864 bytes), but"
                    + " RLIMIT_MEMLOCK is 8388608 bytes. Fix: raise RLIMIT_MEMLOCK to at least 67108864 bytes:"
                    + " ulimit -l 65536 or run as root", e.getMessage());
            assertTrue(w.kernel.calls().stream().noneMatch(c -> c.startsWith("VFIO_IOMMU_MAP_DMA")));
            assertClean(w);
        }
    }

    @Test
    void memlockCountsWhatIsLockedAlready() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            w.kernel.memlockLimit(64L << 20).lockElsewhere(1L << 20);
            VfioException e = assertThrows(VfioException.class, () -> w.attach("0000:01:00.0"));
            assertEquals("guest RAM must be pinned in memory for device DMA: 64 MiB (67108864 bytes) on top of the"
                    + " 1048576 bytes locked already, but RLIMIT_MEMLOCK is 67108864 bytes. Fix: raise RLIMIT_MEMLOCK"
                    + " to at least 68157440 bytes: ulimit -l 66560 or run as root", e.getMessage());
        }
    }

    @Test
    void memlockIsNoLimitWithCapIpcLockOrAnExactFit() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            w.kernel.memlockLimit(64L << 20);
            w.attach("0000:01:00.0").close();
            w.kernel.memlockLimit(4096).capIpcLock(true);
            w.attach("0000:01:00.0").close();
            assertClean(w);
        }
    }

    /** Something else locks memory between the check and the second mapping: type1 refuses with ENOMEM. */
    @Test
    void theKernelRefusingToPinGivesTheLimitNeededNow() {
        try (VfioWorld w = new VfioWorld(root, 4L << 30)) {
            w.host.addDevice("0000:01:00.0", 7);
            w.kernel.memlockLimit(4L << 30)
                    .beforeCall("VFIO_IOMMU_MAP_DMA iova=0x100000000", () -> w.kernel.lockElsewhere(16L << 20));
            ErrnoException e = assertThrows(ErrnoException.class, () -> w.attach("0000:01:00.0"));
            assertEquals("VFIO_IOMMU_MAP_DMA (/dev/vfio/vfio, guest RAM IovaRange[0x100000000..0x13fffffff, 1 GiB] at "
                    + w.ram.regions().get(1).hva() + ") failed: ENOMEM (12). Fix: raise RLIMIT_MEMLOCK to at least"
                    + " 4311744512 bytes: ulimit -l 4210688 or run as root", e.getMessage());
            assertTrue(w.kernel.calls().contains("VFIO_IOMMU_UNMAP_DMA iova=0x0 size=0xc0000000"));
            assertClean(w);
        }
    }

    @Test
    void tooFewDmaMappingsLeft() {
        try (VfioWorld w = new VfioWorld(root, 4L << 30)) {
            w.host.addDevice("0000:01:00.0", 7);
            w.kernel.dmaEntryLimit(1);
            VfioException e = assertThrows(VfioException.class, () -> w.attach("0000:01:00.0"));
            assertEquals("guest RAM needs 2 DMA mappings but the container accepts only 1 more. Fix: raise"
                    + " vfio_iommu_type1's dma_entry_limit by at least 1"
                    + " (/sys/module/vfio_iommu_type1/parameters/dma_entry_limit)", e.getMessage());
            assertClean(w);
        }
    }

    @Test
    void theKernelRunningOutOfDmaMappings() {
        try (VfioWorld w = new VfioWorld(root, 4L << 30)) {
            w.host.addDevice("0000:01:00.0", 7);
            w.kernel.dmaEntryLimit(1).reportCaps(false);
            ErrnoException e = assertThrows(ErrnoException.class, () -> w.attach("0000:01:00.0"));
            assertEquals("VFIO_IOMMU_MAP_DMA (/dev/vfio/vfio, guest RAM IovaRange[0x100000000..0x13fffffff, 1 GiB] at "
                    + w.ram.regions().get(1).hva() + ") failed: ENOSPC (28). Fix: the container ran out of DMA"
                    + " mappings: raise vfio_iommu_type1's dma_entry_limit"
                    + " (/sys/module/vfio_iommu_type1/parameters/dma_entry_limit)", e.getMessage());
            assertClean(w);
        }
    }

    @Test
    void ramNotAMultipleOfTheIommuPage() {
        try (VfioWorld w = new VfioWorld(root, 65L << 20)) {
            w.host.addDevice("0000:01:00.0", 7);
            w.kernel.pageSizes(1L << 21);
            VfioException e = assertThrows(VfioException.class, () -> w.attach("0000:01:00.0"));
            assertEquals("guest RAM IovaRange[0x0..0x40fffff, 65 MiB] at " + w.ram.regions().get(0).hva()
                    + " is not aligned to the IOMMU's smallest page, 2 MiB. Fix: give the guest RAM in multiples of"
                    + " 2 MiB, backed by pages at least that large", e.getMessage());
            assertClean(w);
        }
    }

    @Test
    void aDeviceListedTwice() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> w.attach("0000:01:00.0", "01:00.0"));
            assertEquals("a device is listed twice in [0000:01:00.0, 0000:01:00.0]", e.getMessage());
        }
    }
}
