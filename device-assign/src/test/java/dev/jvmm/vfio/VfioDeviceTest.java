package dev.jvmm.vfio;

import static dev.jvmm.vfio.sys.VfioConstants.VFIO_PCI_BAR0_REGION_INDEX;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_PCI_CONFIG_REGION_INDEX;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_PCI_INTX_IRQ_INDEX;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_PCI_MSIX_IRQ_INDEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.memory.sys.ErrnoException;
import dev.jvmm.memory.sys.Fd;
import dev.jvmm.memory.sys.Posix;
import dev.jvmm.pci.PciBdf;
import dev.jvmm.vfio.config.BarKind;
import dev.jvmm.vfio.config.BarListener;
import dev.jvmm.vfio.config.BarSpec;
import dev.jvmm.vfio.config.BarSpecs;
import dev.jvmm.vfio.config.ConfigSpaceOptions;
import dev.jvmm.vfio.config.DeviceConfigAccess;
import dev.jvmm.vfio.config.GuestWindows;
import dev.jvmm.vfio.config.InterruptListener;
import dev.jvmm.vfio.config.IoPortRange;
import dev.jvmm.vfio.config.MsiVector;
import dev.jvmm.vfio.config.VfioConfigSpace;
import dev.jvmm.vfio.kernel.RegionInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An opened device: regions, config space through pread/pwrite, mmap of sparse areas, interrupts, reset. */
class VfioDeviceTest {

    private static final PciBdf NVME = PciBdf.parse("0000:01:00.0");

    @TempDir
    Path root;

    /** QEMU's edu in L1 under Linux 6.1: GET_IRQ_INFO for the error IRQ answers EINVAL (not PCI Express). */
    @Test
    void aConventionalPciFunctionOpensWithAnEmptyErrorIrq() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7).conventionalPci();
            try (VfioAssignment a = w.attach("0000:01:00.0")) {
                VfioDevice d = a.devices().getFirst();
                assertEquals(List.of(1, 1, 65, 0, 1), d.irqs().stream().map(i -> i.count()).toList());
                assertEquals(List.of(0, 1, 2, 3, 4), d.irqs().stream().map(i -> i.index()).toList());
            }
        }
    }

    @Test
    void regionsAndIrqsAreReadAtOpenWithoutTheVgaRegion() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            try (VfioAssignment a = w.attach("0000:01:00.0")) {
                VfioDevice d = a.devices().getFirst();
                assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), d.regions().stream().map(RegionInfo::index).toList());
                assertEquals(0x4000, d.regionSize(VFIO_PCI_BAR0_REGION_INDEX));
                assertEquals(0, d.regionSize(3));
                assertEquals(0, d.regionSize(8));
                assertEquals(List.of(1, 1, 65, 1, 1), d.irqs().stream().map(i -> i.count()).toList());
                assertTrue(d.irqs().get(VFIO_PCI_INTX_IRQ_INDEX).automasked());
                assertTrue(d.info().canReset());
            }
        }
    }

    @Test
    void configSpaceIsReadAndWrittenThroughTheConfigRegion() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7).ids(0x1234, 0x11e8, 0x00ff00);
            try (VfioAssignment a = w.attach("0000:01:00.0")) {
                DeviceConfigAccess config = a.devices().getFirst().config();
                assertEquals(0x11e81234, config.read(0, 4));
                assertEquals(0x11e8, config.read(2, 2));
                assertEquals(0xff, config.read(0x0a, 1));
                config.write(0x04, 2, 0x0406);
                assertEquals(0x06, w.host.function(NVME).configByte(0x04));
                assertEquals(0x04, w.host.function(NVME).configByte(0x05));
                assertEquals(0x0406, config.read(0x04, 2));
                assertThrows(IllegalArgumentException.class, () -> config.read(0x02, 4));
                assertThrows(IllegalArgumentException.class, () -> config.read(0xffe, 4));
                assertThrows(IllegalArgumentException.class, () -> config.read(0, 3));
                assertTrue(w.kernel.calls().contains("pread 0000:01:00.0 offset=0x70000000000 width=4"));
            }
        }
    }

    /** The config-space virtualization of {@code dev.jvmm.vfio.config} runs over the real access path. */
    @Test
    void configSpaceVirtualizationRunsOverTheDevice() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            try (VfioAssignment a = w.attach("0000:01:00.0")) {
                VfioDevice d = a.devices().getFirst();
                List<BarSpec> bars = BarSpecs.probe(d.config(), d::regionSize);
                assertEquals(List.of(new BarSpec(0, BarKind.MEMORY32, 0x4000, false)), bars);
                List<String> mapped = new ArrayList<>();
                VfioConfigSpace cs = VfioConfigSpace.create(d.config(), bars,
                        GuestWindows.of(GuestLayout.x86(64 << 20), GuestWindows.DEFAULT_IO_WINDOW),
                        new BarsMapped(mapped), new NoInterrupts(), ConfigSpaceOptions.DEFAULT);
                cs.write(0x10, 4, 0xc000_0000);
                cs.write(0x04, 2, 0x0002);
                assertEquals(List.of("BAR 0 at GpaRange[0xc0000000..0xc0003fff, 16 KiB]"), mapped);
                assertEquals(0x02, w.host.function(NVME).configByte(0x04) & 0x02, "memory decode reached the device");
            }
        }
    }

    @Test
    void mmapMapsTheSparseAreasAndCloseUnmapsThemFirst() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            VfioAssignment a = w.attach("0000:01:00.0");
            VfioDevice d = a.devices().getFirst();
            List<MappedArea> areas = d.mmap(VFIO_PCI_BAR0_REGION_INDEX);
            assertEquals(List.of(new RegionInfo.Area(0, 0x2000), new RegionInfo.Area(0x3000, 0x1000)),
                    areas.stream().map(MappedArea::area).toList());
            assertEquals(List.of(0x2000L, 0x1000L), areas.stream().map(m -> m.mapping().length()).toList());
            assertEquals(List.of(), d.mmap(VFIO_PCI_CONFIG_REGION_INDEX), "config space is never mmap'ed");
            w.kernel.clearCalls();
            a.close();
            assertEquals(List.of("munmap 0000:01:00.0 offset=0x3000 length=0x1000",
                    "munmap 0000:01:00.0 offset=0x0 length=0x2000",
                    "VFIO_DEVICE_RESET 0000:01:00.0", "close 0000:01:00.0"), w.kernel.calls().subList(0, 4));
            assertFalse(areas.getFirst().mapping().isOpen());
            assertEquals(List.of(), w.leftovers());
        }
    }

    @Test
    void trappedRegionAccessesStayInsideTheRegion() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            try (VfioAssignment a = w.attach("0000:01:00.0")) {
                VfioDevice d = a.devices().getFirst();
                d.writeRegion(0, 0x3008, 8, 0x1122_3344_5566_7788L);
                assertEquals(0x1122_3344_5566_7788L, d.readRegion(0, 0x3008, 8));
                assertEquals(0x5566, d.readRegion(0, 0x300a, 2));
                assertThrows(IllegalArgumentException.class, () -> d.readRegion(0, 0x3ffc, 8));
                assertThrows(IllegalArgumentException.class, () -> d.readRegion(1, 0, 4));
                assertThrows(IllegalArgumentException.class, () -> d.readRegion(9, 0, 4));
            }
        }
    }

    @Test
    void interruptsAreWiredToEventfdsMaskedAndDisabled() {
        try (VfioWorld w = new VfioWorld(root);
             Fd e0 = Posix.eventfd(0, Posix.EFD_CLOEXEC, "msix0");
             Fd e1 = Posix.eventfd(0, Posix.EFD_CLOEXEC, "msix1");
             Fd intx = Posix.eventfd(0, Posix.EFD_CLOEXEC, "intx")) {
            w.host.addDevice("0000:01:00.0", 7);
            try (VfioAssignment a = w.attach("0000:01:00.0")) {
                VfioDevice d = a.devices().getFirst();
                d.enableIrqEventfds(VFIO_PCI_MSIX_IRQ_INDEX, List.of(e0, e1));
                List<String> expected = new ArrayList<>(Arrays.asList(new String[65]));
                expected.set(0, "eventfd:msix0");
                expected.set(1, "eventfd:msix1");
                assertEquals(expected, w.kernel.eventfds(NVME, VFIO_PCI_MSIX_IRQ_INDEX));
                d.setIrqEventfd(VFIO_PCI_MSIX_IRQ_INDEX, 0, Optional.empty());
                expected.set(0, null);
                assertEquals(expected, w.kernel.eventfds(NVME, VFIO_PCI_MSIX_IRQ_INDEX));
                d.disableIrq(VFIO_PCI_MSIX_IRQ_INDEX);
                assertEquals(List.of(), w.kernel.eventfds(NVME, VFIO_PCI_MSIX_IRQ_INDEX));

                d.enableIrqEventfds(VFIO_PCI_INTX_IRQ_INDEX, List.of(intx));
                d.maskIrq(VFIO_PCI_INTX_IRQ_INDEX, 0);
                d.unmaskIrq(VFIO_PCI_INTX_IRQ_INDEX, 0);
                d.triggerIrq(VFIO_PCI_INTX_IRQ_INDEX, 0);
                assertTrue(w.kernel.calls().containsAll(List.of(
                        "VFIO_DEVICE_SET_IRQS(eventfds) 0000:01:00.0 index=2 start=0 count=2",
                        "VFIO_DEVICE_SET_IRQS(disable) 0000:01:00.0 index=2 start=0 count=0",
                        "VFIO_DEVICE_SET_IRQS(mask) 0000:01:00.0 index=0 start=0 count=1",
                        "VFIO_DEVICE_SET_IRQS(unmask) 0000:01:00.0 index=0 start=0 count=1",
                        "VFIO_DEVICE_SET_IRQS(trigger) 0000:01:00.0 index=0 start=0 count=1")));

                IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                        () -> d.setIrqEventfd(VFIO_PCI_INTX_IRQ_INDEX, 1, Optional.of(intx)));
                assertEquals("vectors 1..1 of IRQ index 0 of 0000:01:00.0: it has 1", tooMany.getMessage());
                assertThrows(IllegalArgumentException.class, () -> d.maskIrq(5, 0));
                // MSI-X vectors are not maskable through VFIO: the kernel says EINVAL
                assertThrows(ErrnoException.class, () -> d.maskIrq(VFIO_PCI_MSIX_IRQ_INDEX, 0));
            }
            assertEquals(List.of(), w.kernel.eventfds(NVME, VFIO_PCI_INTX_IRQ_INDEX), "released with the device");
        }
    }

    @Test
    void resetIsOfferedOnlyWhenTheDeviceSupportsIt() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            w.host.addDevice("0000:02:00.0", 9).withoutReset();
            try (VfioAssignment a = w.attach("0000:01:00.0", "0000:02:00.0")) {
                a.devices().getFirst().reset();
                assertEquals(2, w.host.function(NVME).resets());
                VfioException e = assertThrows(VfioException.class, () -> a.devices().get(1).reset());
                assertEquals("device 0000:02:00.0 offers no reset VFIO can do (no FLR, PM or bus reset). Fix: reset the"
                        + " guest without it, or assign a device that supports function-level reset", e.getMessage());
            }
            assertEquals(3, w.host.function(NVME).resets());
            assertEquals(0, w.host.function(PciBdf.parse("0000:02:00.0")).resets());
            assertTrue(w.kernel.calls().stream().noneMatch(c -> c.equals("VFIO_DEVICE_RESET 0000:02:00.0")));
        }
    }

    @Test
    void aDeviceClosedAloneLeavesTheGroupUsable() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            try (VfioAssignment a = w.attach("0000:01:00.0")) {
                VfioGroup g = a.devices().getFirst().group();
                a.devices().getFirst().close();
                assertEquals(List.of(), g.devices());
                VfioDevice again = g.openDevice(NVME);
                assertTrue(again.isOpen());
                assertThrows(IllegalStateException.class, () -> g.openDevice(NVME));
            }
            assertEquals(List.of(), w.leftovers());
        }
    }

    private record BarsMapped(List<String> log) implements BarListener {
        @Override
        public void barMapped(int index, GpaRange range) {
            log.add("BAR " + index + " at " + range);
        }

        @Override
        public void barUnmapped(int index, GpaRange range) {
            log.add("BAR " + index + " unmapped");
        }

        @Override
        public void ioBarMapped(int index, IoPortRange ports) {
            log.add("I/O BAR " + index);
        }

        @Override
        public void ioBarUnmapped(int index, IoPortRange ports) {
            log.add("I/O BAR " + index + " unmapped");
        }
    }

    private static final class NoInterrupts implements InterruptListener {
        @Override
        public void msiConfigured(List<MsiVector> vectors) {}

        @Override
        public void msiVectorChanged(MsiVector vector) {}

        @Override
        public void msixConfigured(boolean enabled, boolean functionMasked) {}

        @Override
        public void msixVectorChanged(MsiVector vector) {}
    }
}
