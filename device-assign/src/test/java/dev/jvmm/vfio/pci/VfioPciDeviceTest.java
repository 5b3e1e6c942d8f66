package dev.jvmm.vfio.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.sys.Errno;
import dev.jvmm.memory.sys.ErrnoException;
import dev.jvmm.pci.PciBdf;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assigned NVMe-like function in a machine of fakes: BARs as memory slots and trapped ranges, MSI,
 * MSI-X and INTx wired through VFIO and KVM in the kernel's order, teardown leaving nothing.
 */
class VfioPciDeviceTest {

    static final int COMMAND = 0x04;
    static final int MEMORY = 0x2;
    static final int MASTER = 0x4;
    static final int INTX_DISABLE = 0x400;
    static final int MSIX_CONTROL = 0xb2;
    static final int MSIX_ENABLE = 0x8000;
    static final int MSIX_MASKALL = 0x4000;
    static final int MSI_CONTROL = 0x52;
    static final String DEV = AssignWorld.NVME;
    /** How the eventfds of the device are named (Posix.eventfd prefixes "eventfd:"). */
    static final String EFD = "eventfd:" + DEV;

    @TempDir
    Path root;

    static long bar0(AssignWorld w) {
        return Integer.toUnsignedLong(w.configRead(0x10, 4) & ~0xf) | (Integer.toUnsignedLong(w.configRead(0x14, 4)) << 32);
    }

    static Map<Long, Long> memslots(AssignWorld w) {
        return w.kvm.memslots().values().stream().collect(Collectors.toMap(s -> s.gpa().start().value(),
                s -> s.gpa().length(), (a, b) -> a, TreeMap::new));
    }

    /** Writes MSI-X table entry {@code v} through the trapped part of BAR0, as the guest's driver does. */
    static void msixEntry(AssignWorld w, long bar, int v, long address, int data, boolean masked) {
        long e = bar + 0x2000 + 16L * v;
        w.mmio.write(e, 4, address & 0xffff_ffffL);
        w.mmio.write(e + 4, 4, address >>> 32);
        w.mmio.write(e + 8, 4, data);
        w.mmio.write(e + 12, 4, masked ? 1 : 0);
    }

    @Test
    void barsGetFirmwareAddressesAndBecomeMemslotsOnlyWhileDecoding() {
        try (AssignWorld w = new AssignWorld(root); AssignedDevices a = w.attach()) {
            long bar = bar0(w);
            assertTrue(w.ram.layout().mmio64Window().contains(GpaRange.of(Gpa.of(bar), 0x4000)),
                    "the 64-bit BAR got an address in the 64-bit window: 0x" + Long.toHexString(bar));
            assertEquals(Map.of(), memslots(w), "decoding is off until the guest's driver enables it");
            assertEquals(List.of(), w.mmio.ranges());

            w.configWrite(COMMAND, 2, MEMORY | MASTER);
            assertEquals(Map.of(bar, 0x2000L, bar + 0x3000, 0x1000L), memslots(w),
                    "the sparse mmap areas, minus the MSI-X table's page, are memory slots");
            assertEquals(1, w.mmio.ranges().size());
            assertEquals(bar + 0x2000, w.mmio.ranges().getFirst().base(), "the table's page is trapped");
            assertEquals(0x1000, w.mmio.ranges().getFirst().length());
            assertEquals(MEMORY | MASTER, w.nvme.configValue(COMMAND, 2) & (MEMORY | MASTER), "decoding reached the device");

            // the guest moves the BAR with decoding off, then on again
            w.configWrite(COMMAND, 2, MASTER);
            assertEquals(Map.of(), memslots(w));
            assertEquals(List.of(), w.mmio.ranges());
            long moved = w.ram.layout().mmio32Window().start().value() + 0x10_0000;
            w.configWrite(0x10, 4, (int) moved);
            w.configWrite(0x14, 4, 0);
            w.configWrite(COMMAND, 2, MEMORY | MASTER);
            assertEquals(Map.of(moved, 0x2000L, moved + 0x3000, 0x1000L), memslots(w), "a 64-bit BAR may sit below 4 GiB");

            // moved while decoding: the high dword alone takes it out of every window, then back
            w.configWrite(0x14, 4, 0x7fff_ffff);
            assertEquals(Map.of(), memslots(w), "outside the windows: not mapped");
            w.configWrite(0x14, 4, 0);
            assertEquals(Map.of(moved, 0x2000L, moved + 0x3000, 0x1000L), memslots(w));

            // sizing with decoding on reads the size and maps nothing outside the windows
            w.configWrite(0x10, 4, -1);
            assertEquals(0xffffc004, w.configRead(0x10, 4));
            assertEquals(Map.of(), memslots(w));
            assertEquals(List.of(), w.kvm.violations());
        }
    }

    @Test
    void msixEnabledWithTheFunctionMaskedGetsEventfdsFirstAndRoutesAsVectorsAreUnmasked() {
        try (AssignWorld w = new AssignWorld(root); AssignedDevices a = w.attach()) {
            long bar = bar0(w);
            w.configWrite(COMMAND, 2, MEMORY | MASTER);
            w.kernel.clearCalls();
            // Linux: enable with the function masked, program the entries, unmask the function
            w.configWrite(MSIX_CONTROL, 2, MSIX_ENABLE | MSIX_MASKALL);
            assertEquals(List.of("VFIO_DEVICE_SET_IRQS(disable) " + DEV + " index=0 start=0 count=0",
                    "VFIO_DEVICE_SET_IRQS(eventfds) " + DEV + " index=2 start=0 count=65"),
                    w.calls("VFIO_DEVICE_SET_IRQS", "KVM_"), "INTx off, then every vector's eventfd; nothing routed");
            assertEquals(2, w.nvme.irqType());
            assertEquals("MSI-X", a.devices().getFirst().interruptMode());
            msixEntry(w, bar, 0, 0xfee0_0000L, 0x4021, false);
            msixEntry(w, bar, 1, 0xfee0_1000L, 0x4022, false);
            assertEquals(Map.of(EFD + " INTx trigger", 19), w.kvm.irqfds(), "the function is still masked");
            w.kernel.clearCalls();
            w.configWrite(MSIX_CONTROL, 2, MSIX_ENABLE);
            assertEquals(List.of("KVM_SET_GSI_ROUTING add 0xfee00000/0x4021", "KVM_IRQFD assign " + EFD + " MSI-X 0 GSI 24",
                    "KVM_SET_GSI_ROUTING add 0xfee01000/0x4022", "KVM_IRQFD assign " + EFD + " MSI-X 1 GSI 25"),
                    w.calls("VFIO_", "KVM_"));
            assertEquals(0x4022, w.mmio.read(bar + 0x2000 + 16 + 8, 4), "the table reads back what the guest wrote");
            assertEquals(List.of(), w.kvm.violations());
        }
    }

    @Test
    void msixEnabledWithVectorsUnmaskedRoutesThemBeforeSetIrqs() {
        try (AssignWorld w = new AssignWorld(root); AssignedDevices a = w.attach()) {
            long bar = bar0(w);
            w.configWrite(COMMAND, 2, MEMORY | MASTER);
            msixEntry(w, bar, 3, 0xfee0_0000L, 0x4031, false);
            w.kernel.clearCalls();
            w.configWrite(MSIX_CONTROL, 2, MSIX_ENABLE);
            assertEquals(List.of("VFIO_DEVICE_SET_IRQS(disable) " + DEV + " index=0 start=0 count=0",
                    "KVM_SET_GSI_ROUTING add 0xfee00000/0x4031", "KVM_IRQFD assign " + EFD + " MSI-X 3 GSI 24",
                    "VFIO_DEVICE_SET_IRQS(eventfds) " + DEV + " index=2 start=0 count=65"),
                    w.calls("VFIO_", "KVM_"), "route and irqfd ready before the device may signal");
            assertEquals(EFD + " MSI-X 3", w.kernel.eventfds(w.nvme.address(), 2).get(3));
        }
    }

    @Test
    void maskingDeassignsTheIrqfdAndAMessageChangeNeverTouchesALiveRoute() {
        try (AssignWorld w = new AssignWorld(root); AssignedDevices a = w.attach()) {
            long bar = bar0(w);
            w.configWrite(COMMAND, 2, MEMORY | MASTER);
            msixEntry(w, bar, 0, 0xfee0_0000L, 0x4021, false);
            w.configWrite(MSIX_CONTROL, 2, MSIX_ENABLE);
            long ctrl = bar + 0x2000 + 12;
            w.kernel.clearCalls();
            w.mmio.write(ctrl, 4, 1);
            assertEquals(List.of("KVM_IRQFD deassign " + EFD + " MSI-X 0 GSI 24"), w.calls("KVM_", "VFIO_"), "mask");
            w.kernel.clearCalls();
            w.mmio.write(bar + 0x2000 + 8, 4, 0x4025);
            assertEquals(List.of(), w.calls("KVM_", "VFIO_"), "a masked vector's message waits for the unmask");
            w.mmio.write(ctrl, 4, 0);
            assertEquals(List.of("KVM_SET_GSI_ROUTING update GSI 24 0xfee00000/0x4025",
                    "KVM_IRQFD assign " + EFD + " MSI-X 0 GSI 24"), w.calls("KVM_", "VFIO_"), "unmask");
            w.kernel.clearCalls();
            w.mmio.write(bar + 0x2000, 4, 0xfee0_2000L); // Linux moving the IRQ's affinity with the vector unmasked
            assertEquals(List.of("KVM_IRQFD deassign " + EFD + " MSI-X 0 GSI 24",
                    "KVM_SET_GSI_ROUTING update GSI 24 0xfee02000/0x4025", "KVM_IRQFD assign " + EFD + " MSI-X 0 GSI 24"),
                    w.calls("KVM_", "VFIO_"));
            w.kernel.clearCalls();
            w.configWrite(MSIX_CONTROL, 2, MSIX_ENABLE | MSIX_MASKALL);
            assertEquals(List.of("KVM_IRQFD deassign " + EFD + " MSI-X 0 GSI 24"), w.calls("KVM_", "VFIO_"),
                    "function mask");
            w.kernel.clearCalls();
            w.configWrite(MSIX_CONTROL, 2, 0);
            assertEquals(List.of("VFIO_DEVICE_SET_IRQS(disable) " + DEV + " index=2 start=0 count=0",
                    "KVM_SET_GSI_ROUTING remove GSI 24",
                    "VFIO_DEVICE_SET_IRQS(eventfds) " + DEV + " index=0 start=0 count=1",
                    "VFIO_DEVICE_SET_IRQS(unmask eventfd) " + DEV + " index=0 start=0 count=1 fd=" + EFD + " INTx resample"),
                    w.calls("KVM_", "VFIO_"), "MSI-X off in VFIO first, then the route, then INTx back");
            assertEquals(List.of(), w.kvm.violations());
            assertEquals(Map.of(EFD + " INTx trigger", 19), w.kvm.irqfds());
        }
    }

    @Test
    void msiIsRoutedBeforeSetIrqsAndItsMaskBitDeassignsTheIrqfd() {
        try (AssignWorld w = new AssignWorld(root); AssignedDevices a = w.attach()) {
            w.configWrite(COMMAND, 2, MASTER);
            w.configWrite(0x54, 4, 0xfee0_0000);
            w.configWrite(0x58, 4, 0);
            w.configWrite(0x5c, 2, 0x41);
            w.kernel.clearCalls();
            w.configWrite(MSI_CONTROL, 2, 0x0001);
            assertEquals(List.of("VFIO_DEVICE_SET_IRQS(disable) " + DEV + " index=0 start=0 count=0",
                    "KVM_SET_GSI_ROUTING add 0xfee00000/0x41", "KVM_IRQFD assign " + EFD + " MSI 0 GSI 24",
                    "VFIO_DEVICE_SET_IRQS(eventfds) " + DEV + " index=1 start=0 count=1"), w.calls("VFIO_", "KVM_"));
            assertEquals("MSI", a.devices().getFirst().interruptMode());
            assertEquals(0x0180, w.configRead(MSI_CONTROL, 2) & 0x0180, "64-bit and per-vector masking shown");
            w.kernel.clearCalls();
            w.configWrite(0x60, 4, 1);
            assertEquals(List.of("KVM_IRQFD deassign " + EFD + " MSI 0 GSI 24"), w.calls("VFIO_", "KVM_"));
            w.configWrite(0x60, 4, 0);
            w.kernel.clearCalls();
            w.configWrite(MSIX_CONTROL, 2, MSIX_ENABLE);
            assertEquals(List.of(), w.calls("VFIO_", "KVM_"), "MSI-X while MSI is on is ignored");
            assertEquals(1, a.devices().getFirst().ignoredGuestRequests());
            w.configWrite(MSIX_CONTROL, 2, 0);
            w.kernel.clearCalls();
            w.configWrite(MSI_CONTROL, 2, 0);
            assertEquals(List.of("VFIO_DEVICE_SET_IRQS(disable) " + DEV + " index=1 start=0 count=0",
                    "KVM_IRQFD deassign " + EFD + " MSI 0 GSI 24", "KVM_SET_GSI_ROUTING remove GSI 24",
                    "VFIO_DEVICE_SET_IRQS(eventfds) " + DEV + " index=0 start=0 count=1",
                    "VFIO_DEVICE_SET_IRQS(unmask eventfd) " + DEV + " index=0 start=0 count=1 fd=" + EFD + " INTx resample"),
                    w.calls("VFIO_", "KVM_"));
            assertEquals(List.of(), w.kvm.violations());
        }
    }

    @Test
    void intxReachesTheSlotsGsiThroughAnIrqfdWithResampleAndTheCommandBitMasksIt() {
        try (AssignWorld w = new AssignWorld(root)) {
            try (AssignedDevices a = w.attach()) {
                VfioPciDevice d = a.devices().getFirst();
                assertEquals(PciBdf.of(0, AssignWorld.SLOT, 0), a.guestAddress(d));
                assertEquals(OptionalInt.of(19), d.intxGsi(), "slot 3 INTA# -> GSI 16 + 3");
                assertEquals(List.of("KVM_IRQFD assign " + EFD + " INTx trigger GSI 19 resample " + EFD + " INTx resample",
                        "VFIO_DEVICE_SET_IRQS(eventfds) " + DEV + " index=0 start=0 count=1",
                        "VFIO_DEVICE_SET_IRQS(unmask eventfd) " + DEV + " index=0 start=0 count=1 fd=" + EFD
                                + " INTx resample"), w.calls("KVM_IRQFD", "VFIO_DEVICE_SET_IRQS"));
                assertEquals(EFD + " INTx resample", w.nvme.unmaskEventfd());
                assertEquals("INTx", d.interruptMode());
                assertEquals(1, w.configRead(0x3d, 1), "INTA#");
                w.kernel.clearCalls();
                w.configWrite(COMMAND, 2, MASTER | INTX_DISABLE);
                w.configWrite(COMMAND, 2, MASTER | INTX_DISABLE | MEMORY);
                w.configWrite(COMMAND, 2, MASTER);
                assertEquals(List.of("VFIO_DEVICE_SET_IRQS(mask) " + DEV + " index=0 start=0 count=1",
                        "VFIO_DEVICE_SET_IRQS(unmask) " + DEV + " index=0 start=0 count=1"), w.calls("VFIO_DEVICE_SET_IRQS"));
                assertEquals(0, w.nvme.configValue(COMMAND, 2) & INTX_DISABLE, "the bit itself is emulated");
            }
        }
    }

    @Test
    void trappedAccessesReachTheRegionExceptTheTableWhichIsEmulated() {
        try (AssignWorld w = new AssignWorld(root); AssignedDevices a = w.attach()) {
            long bar = bar0(w);
            w.configWrite(COMMAND, 2, MEMORY);
            w.mmio.write(bar + 0x2800, 4, 0xcafe_f00dL);
            assertEquals(0xcafe_f00dL, w.nvme.regionValue(0, 0x2800, 4), "past the table: pwrite to the BAR");
            assertEquals(0xcafe_f00dL, w.mmio.read(bar + 0x2800, 4));
            assertEquals(1, w.mmio.read(bar + 0x2000 + 12, 4), "table entries start masked");
            w.mmio.write(bar + 0x2000 + 8, 4, 0x1234);
            assertEquals(0, w.nvme.regionValue(0, 0x2008, 4), "the device's table is never written");
            assertEquals(0xffff_ffffL, w.mmio.read(bar + 0x240c, 8) & 0xffff_ffffL, "an access half in the table");
            assertTrue(a.devices().getFirst().ignoredGuestRequests() >= 1);
        }
    }

    @Test
    void closingLeavesNoMemslotRouteIrqfdRangeDmaMappingOrDescriptor() {
        List<String> fdsBefore = AssignWorld.openFds();
        try (AssignWorld w = new AssignWorld(root)) {
            AssignedDevices a = w.attach();
            long bar = bar0(w);
            w.configWrite(COMMAND, 2, MEMORY | MASTER);
            msixEntry(w, bar, 0, 0xfee0_0000L, 0x4021, false);
            msixEntry(w, bar, 64, 0xfee0_0000L, 0x4022, false);
            w.configWrite(MSIX_CONTROL, 2, MSIX_ENABLE);
            assertEquals(2, w.kvm.routes().size());
            assertTrue(AssignWorld.openFds().size() >= fdsBefore.size() + 65 + 2, "65 MSI-X and 2 INTx eventfds open");
            w.kernel.clearCalls();
            a.close();
            List<String> order = w.calls("KVM_SET_USER", "KVM_IRQFD", "KVM_SET_GSI", "VFIO_DEVICE_SET_IRQS", "munmap", "VFIO_IOMMU_UNMAP_DMA", "close 0000");
            assertEquals("KVM_SET_USER_MEMORY_REGION remove", order.getFirst().substring(0, 33), order.toString());
            assertTrue(order.indexOf("VFIO_DEVICE_SET_IRQS(disable) " + DEV + " index=2 start=0 count=0")
                    < order.indexOf("KVM_IRQFD deassign " + EFD + " MSI-X 0 GSI 24"), order.toString());
            assertTrue(order.lastIndexOf(order.stream().filter(c -> c.startsWith("KVM_")).reduce((x, y) -> y).orElseThrow())
                    < order.indexOf("munmap " + DEV + " offset=0x3000 length=0x1000"), "KVM lets go before the mmaps go");
            assertEquals(List.of(), w.leftovers());
        }
        assertEquals(fdsBefore, AssignWorld.openFds(), "every eventfd is closed");
    }

    @Test
    void aKvmFailureWhileAttachingUndoesEverything() {
        List<String> fdsBefore = AssignWorld.openFds();
        try (AssignWorld w = new AssignWorld(root)) {
            w.kernel.failWhen("KVM_IRQFD assign", Errno.ENOMEM);
            ErrnoException e = assertThrows(ErrnoException.class, w::attach);
            assertEquals(Errno.ENOMEM, e.errno());
            assertEquals(List.of(), w.leftovers());
        }
        assertEquals(fdsBefore, AssignWorld.openFds());
    }

    @Test
    void aGuestSlotThatIsTakenIsRefusedAndUndone() {
        try (AssignWorld w = new AssignWorld(root)) {
            w.pci.add(new dev.jvmm.pci.PciHostBridge(), PciBdf.of(0, AssignWorld.SLOT, 0));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, w::attach);
            assertTrue(e.getMessage().contains("pick another addr="), e.getMessage());
            w.pci.remove(PciBdf.of(0, AssignWorld.SLOT, 0));
            assertEquals(List.of(), w.leftovers());
        }
    }
}
