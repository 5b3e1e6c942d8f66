package dev.jvmm.qmp.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.pci.PciBar;
import dev.jvmm.pci.PciBarType;
import dev.jvmm.pci.PciBdf;
import dev.jvmm.pci.PciFunctionSummary;
import dev.jvmm.pci.PciIdentity;
import dev.jvmm.qmp.CpuInfo;
import dev.jvmm.qmp.CpuInstanceProperties;
import dev.jvmm.qmp.PciDeviceClass;
import dev.jvmm.qmp.PciDeviceId;
import dev.jvmm.qmp.PciDeviceInfo;
import dev.jvmm.qmp.PciInfo;
import dev.jvmm.qmp.PciMemoryRegion;
import dev.jvmm.qmp.QmpErrorClass;
import dev.jvmm.qmp.QmpException;
import dev.jvmm.qmp.RunState;
import dev.jvmm.qmp.VmEvent;
import dev.jvmm.vmm.LifecycleEvent;
import dev.jvmm.vmm.RunStatus;
import dev.jvmm.vmm.ShutdownCause;
import dev.jvmm.vmm.VcpuInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The adapter against a fake control plane: commands, QEMU-shaped results, events and refusals. */
class ControlPlaneVmControlTest {
    private final FakeControlPlane plane = new FakeControlPlane();
    private final ControlPlaneVmControl vm = new ControlPlaneVmControl(plane);

    @AfterEach
    void close() {
        vm.close();
        plane.close();
    }

    @Test
    void everyRunStatusHasItsQmpRunState() {
        Map<RunStatus, RunState> expected = Map.of(RunStatus.RUNNING, RunState.RUNNING, RunStatus.PAUSED,
                RunState.PAUSED, RunStatus.SHUTDOWN, RunState.SHUTDOWN, RunStatus.INTERNAL_ERROR, RunState.INTERNAL_ERROR);
        assertEquals(RunStatus.values().length, expected.size());
        expected.forEach((status, state) -> assertEquals(state, ControlPlaneVmControl.runState(status)));
    }

    @Test
    void everyShutdownCauseKeepsQemusName() {
        for (ShutdownCause c : ShutdownCause.values()) {
            assertEquals(c.qemuName(), ControlPlaneVmControl.cause(c).wireName(), c.name());
        }
    }

    @Test
    void stopAndContChangeTheStateAndPublishBeforeTheyComplete() throws Exception {
        LinkedBlockingQueue<VmEvent> events = new LinkedBlockingQueue<>();
        vm.events().subscribe(events::add);
        vm.stop().thenRun(() -> assertEquals(1, events.size(), "STOP is out before the stop completes"))
                .get(5, TimeUnit.SECONDS);
        assertInstanceOf(VmEvent.Stop.class, events.poll());
        assertEquals(RunState.PAUSED, vm.status().get(5, TimeUnit.SECONDS));
        vm.stop().get(5, TimeUnit.SECONDS);
        assertEquals(0, events.size(), "stop on a paused VM publishes nothing");
        vm.cont().get(5, TimeUnit.SECONDS);
        assertInstanceOf(VmEvent.Resume.class, events.poll());
        assertEquals(RunState.RUNNING, vm.status().get(5, TimeUnit.SECONDS));
        assertTrue(plane.ranOn.stream().allMatch(FakeControlPlane.CONTROL_THREAD::equals), plane.ranOn.toString());
    }

    @Test
    void guestEventsAreRepublishedWithTheirTimeGuestFlagAndCause() throws Exception {
        LinkedBlockingQueue<VmEvent> events = new LinkedBlockingQueue<>();
        vm.events().subscribe(events::add);
        Instant t = Instant.parse("2026-11-23T10:15:30.123456Z");
        plane.emit(new LifecycleEvent.Reset(t, true, ShutdownCause.GUEST_RESET));
        plane.emit(new LifecycleEvent.Shutdown(t, true, ShutdownCause.GUEST_SHUTDOWN));
        plane.emit(new LifecycleEvent.Powerdown(t));
        plane.emit(new LifecycleEvent.Stop(t));
        plane.emit(new LifecycleEvent.Resume(t));
        assertEquals(new VmEvent.Reset(t, true, dev.jvmm.qmp.ShutdownCause.GUEST_RESET), events.poll(5, TimeUnit.SECONDS));
        assertEquals(new VmEvent.Shutdown(t, true, dev.jvmm.qmp.ShutdownCause.GUEST_SHUTDOWN),
                events.poll(5, TimeUnit.SECONDS));
        assertEquals(new VmEvent.Powerdown(t), events.poll(5, TimeUnit.SECONDS));
        assertEquals(new VmEvent.Stop(t), events.poll(5, TimeUnit.SECONDS));
        assertEquals(new VmEvent.Resume(t), events.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void aRefusedPowerdownIsAGenericErrorWithTheRefusalText() throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> vm.powerdown().get(5, TimeUnit.SECONDS));
        QmpException qmp = assertInstanceOf(QmpException.class, e.getCause());
        assertEquals(QmpErrorClass.GenericError, qmp.errorClass());
        assertTrue(qmp.description().startsWith("guest has no ACPI power button"), qmp.description());

        plane.givePowerButton();
        LinkedBlockingQueue<VmEvent> events = new LinkedBlockingQueue<>();
        vm.events().subscribe(events::add);
        vm.powerdown().get(5, TimeUnit.SECONDS);
        assertInstanceOf(VmEvent.Powerdown.class, events.poll());
    }

    @Test
    void otherFailuresPassThroughUnchanged() {
        IllegalStateException boom = new IllegalStateException("KVM_GET_CLOCK failed");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> ControlPlaneVmControl.qmp(java.util.concurrent.CompletableFuture.failedFuture(boom)).get());
        assertEquals(boom, e.getCause());
    }

    @Test
    void queryPciShapesFunctionsAsQemuDoes() throws Exception {
        PciFunctionSummary bridge = new PciFunctionSummary(PciBdf.parse("00:00.0"), "host bridge",
                new PciIdentity(0x1b36, 0x0008, 0, 0x06_00_00, 0, 0), 0, 0, 0, List.of());
        PciFunctionSummary nic = new PciFunctionSummary(PciBdf.parse("00:03.0"), "vfio 0000:06:0d.1",
                new PciIdentity(0x8086, 0x10ca, 1, 0x02_00_00, 0x8086, 0xa01f), 0, 1, 11, List.of(
                        new PciBar(0, PciBarType.MEMORY64, 0x4000, true, 0xe000_0000L, OptionalLong.of(0xe000_0000L)),
                        new PciBar(2, PciBarType.IO, 0x20, false, 0xc000, OptionalLong.empty()),
                        new PciBar(3, PciBarType.MEMORY32, 0x1000, false, 0, OptionalLong.empty())));
        PciFunctionSummary port = new PciFunctionSummary(PciBdf.parse("00:1c.0"), "root port",
                new PciIdentity(0x1b36, 0x000c, 0, 0x06_04_00, 0x1234, 0x5678), 1, 0, 0xff, List.of());
        plane.pci = List.of(bridge, nic, port);

        List<PciInfo> pci = vm.queryPci().get(5, TimeUnit.SECONDS);
        assertEquals(1, pci.size());
        assertEquals(0, pci.getFirst().bus());
        List<PciDeviceInfo> d = pci.getFirst().devices();
        assertEquals(new PciDeviceInfo(0, 0, 0, new PciDeviceClass(0x0600, Optional.of("Host bridge")),
                new PciDeviceId(0x1b36, 0x0008, OptionalInt.of(0), OptionalInt.of(0)), OptionalInt.empty(), 0, "",
                Optional.empty(), List.of()), d.get(0));
        assertEquals(new PciDeviceInfo(0, 3, 0, new PciDeviceClass(0x0200, Optional.of("Ethernet controller")),
                new PciDeviceId(0x8086, 0x10ca, OptionalInt.of(0x8086), OptionalInt.of(0xa01f)), OptionalInt.of(11), 1, "",
                Optional.empty(), List.of(
                        new PciMemoryRegion.Memory(0, 0xe000_0000L, 0x4000, true, true),
                        new PciMemoryRegion.Io(2, PciMemoryRegion.UNASSIGNED, 0x20),
                        new PciMemoryRegion.Memory(3, PciMemoryRegion.UNASSIGNED, 0x1000, false, false))), d.get(1));
        assertEquals(new PciDeviceId(0x1b36, 0x000c, OptionalInt.empty(), OptionalInt.empty()), d.get(2).id(),
                "a type 1 header has no subsystem IDs at 0x2c");
        assertEquals(new PciDeviceClass(0x0604, Optional.of("PCI bridge")), d.get(2).classInfo());
    }

    @Test
    void queryCpusGivesEachVcpuItsHostThreadAndTopology() throws Exception {
        plane.vcpus = List.of(new VcpuInfo(0, 4242, 0, 0, 0), new VcpuInfo(1, 4243, 0, 1, 0));
        assertEquals(List.of(
                new CpuInfo(0, "/machine/unattached/device[0]", 4242, Optional.of(CpuInstanceProperties.of(0, 0, 0)),
                        "x86_64"),
                new CpuInfo(1, "/machine/unattached/device[1]", 4243, Optional.of(CpuInstanceProperties.of(0, 1, 0)),
                        "x86_64")), vm.queryCpus().get(5, TimeUnit.SECONDS));
    }

    @Test
    void closingUnsubscribesFromTheControlPlane() {
        assertEquals(1, plane.subscribers());
        vm.close();
        assertEquals(0, plane.subscribers());
        vm.close();
        assertEquals(0, plane.subscribers());
    }
}
