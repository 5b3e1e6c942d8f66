package dev.jvmm.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.bus.BusDevice;
import dev.jvmm.kvm.testing.GuestProgram;
import dev.jvmm.kvm.testing.TinyVm;
import dev.jvmm.memory.sys.Fd;
import dev.jvmm.memory.sys.Posix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tiny guest programs on this machine's real /dev/kvm. */
class KvmGuestTest {

    @Test
    void realModeProgramWritesToTheSerialPort() throws Exception {
        try (TinyVm vm = TinyVm.create(TinyVm.Mode.REAL, false, "guest/realmode_hello.S")) {
            VcpuRunner.Stop stop = vm.run(30);
            assertEquals(VcpuRunner.Reason.STOPPED, stop.reason(), stop.toString());
            assertEquals("Hello from real mode\n", vm.serialOutput());
            assertEquals(0, vm.exitCode());
        }
    }

    @Test
    void protectedModeProgramWritesToTheSerialPort() throws Exception {
        try (TinyVm vm = TinyVm.create(TinyVm.Mode.PROTECTED, false, "guest/protmode_hello.S")) {
            VcpuRunner.Stop stop = vm.run(30);
            assertEquals(VcpuRunner.Reason.STOPPED, stop.reason(), stop.toString());
            assertEquals("Hello from protected mode\n", vm.serialOutput());
        }
    }

    @Test
    void longModeProgramWritesToTheSerialPort() throws Exception {
        try (TinyVm vm = TinyVm.create(TinyVm.Mode.LONG, false, "guest/longmode_hello.S")) {
            VcpuRunner.Stop stop = vm.run(30);
            assertEquals(VcpuRunner.Reason.STOPPED, stop.reason(), stop.toString());
            assertEquals("Hello from long mode\n", vm.serialOutput());
            assertEquals(0, vm.exitCode());
        }
    }

    @Test
    void guestMmioReachesAJavaBusDevice() throws Exception {
        List<String> accesses = new CopyOnWriteArrayList<>();
        List<Long> echoed = new CopyOnWriteArrayList<>();
        try (TinyVm vm = TinyVm.create(TinyVm.Mode.LONG, false, "guest/mmio_probe.S")) {
            vm.mmio().register("probe", 0xd000_0000L, 0x1000, new BusDevice() {
                @Override
                public long read(long offset, int size) {
                    accesses.add("read " + offset + "/" + size);
                    return 0x1234_5678L;
                }

                @Override
                public void write(long offset, int size, long value) {
                    accesses.add(String.format("write %d/%d=0x%x", offset, size, value));
                }
            });
            vm.pio().register("echo", 0x502, 4, new BusDevice() {
                @Override
                public long read(long offset, int size) {
                    return 0;
                }

                @Override
                public void write(long offset, int size, long value) {
                    echoed.add(value);
                }
            });
            VcpuRunner.Stop stop = vm.run(30);
            assertEquals(VcpuRunner.Reason.STOPPED, stop.reason(), stop.toString());
            // Each access was one exit to user space, counted by reason and by bus range.
            assertEquals(2L, vm.runner().exitCounts().get("MMIO"), vm.runner().exitCounts().toString());
            assertTrue(vm.runner().exitCounts().get("IO") >= 1, vm.runner().exitCounts().toString());
            assertEquals(List.of(new dev.jvmm.bus.Bus.RangeExits("probe", 0xd000_0000L, 0x1000, 1, 1, true)),
                    vm.mmio().exitCounts());
        }
        assertEquals(List.of("write 0/4=0xcafef00d", "read 4/4"), accesses);
        assertEquals(List.of(0x1234_5678L), echoed);
    }

    @Test
    void anIoeventfdTakesTheGuestWriteInsideTheKernel() throws Exception {
        List<String> accesses = new CopyOnWriteArrayList<>();
        try (TinyVm vm = TinyVm.create(TinyVm.Mode.LONG, false, "guest/mmio_probe.S");
             Fd doorbell = Posix.eventfd(0, Posix.EFD_CLOEXEC | Posix.EFD_NONBLOCK, "doorbell");
             Arena arena = Arena.ofConfined()) {
            vm.mmio().register("probe", 0xd000_0000L, 0x1000, new BusDevice() {
                @Override
                public long read(long offset, int size) {
                    accesses.add("read " + offset);
                    return 7;
                }

                @Override
                public void write(long offset, int size, long value) {
                    accesses.add("write " + offset);
                }
            });
            vm.pio().register("echo", 0x502, 4, new BusDevice() {
                @Override
                public long read(long offset, int size) {
                    return 0;
                }

                @Override
                public void write(long offset, int size, long value) {
                }
            });
            vm.vm().fd().ioeventfd(doorbell, 0xd000_0000L, 4, false, 0xcafe_f00dL, false);
            VcpuRunner.Stop stop = vm.run(30);
            assertEquals(VcpuRunner.Reason.STOPPED, stop.reason(), stop.toString());
            MemorySegment counter = arena.allocate(8);
            assertEquals(8, Posix.readErrno(doorbell, counter), "the doorbell eventfd was not signalled");
            assertEquals(1, counter.get(ValueLayout.JAVA_LONG, 0));
            vm.vm().fd().ioeventfd(doorbell, 0xd000_0000L, 4, false, 0xcafe_f00dL, true);
        }
        assertEquals(List.of("read 4"), accesses, "the matching write must not exit to the VMM");
    }

    @Test
    void eventfdThroughIrqfdAndAnMsiRouteInterruptsTheGuest() throws Exception {
        List<Long> counts = new CopyOnWriteArrayList<>();
        try (TinyVm vm = TinyVm.create(TinyVm.Mode.LONG, true, "guest/msi_counter.S");
             Fd eventfd = Posix.eventfd(0, Posix.EFD_CLOEXEC, "msi-test");
             Arena arena = Arena.ofShared()) {
            int gsi = vm.vm().routing().addMsi(0xfee0_0000L, 0x40);
            assertTrue(gsi >= GsiRouting.FIRST_MSI_GSI);
            vm.vm().fd().assignIrqfd(eventfd, gsi, null);
            MemorySegment one = arena.allocate(8);
            one.set(ValueLayout.JAVA_LONG, 0, 1);
            BusDevice signalAfterEach = new BusDevice() {
                @Override
                public long read(long offset, int size) {
                    return 0;
                }

                @Override
                public void write(long offset, int size, long value) {
                    if (offset == 0) {
                        counts.add(value);
                    }
                    // The guest is ready for the next interrupt: signal it through the eventfd only.
                    if (counts.size() < 5) {
                        assertEquals(8, Posix.writeErrno(eventfd, one));
                    }
                }
            };
            vm.pio().register("msi-test", 0x503, 2, signalAfterEach); // 0x503 count, 0x504 ready
            VcpuRunner.Stop stop = vm.run(60);
            assertEquals(VcpuRunner.Reason.STOPPED, stop.reason(), stop.toString());
            assertEquals(0, vm.exitCode());
            vm.vm().fd().deassignIrqfd(eventfd, gsi);
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), counts);
    }

    @Test
    void aSpinningVcpuStopsWithin100MsOfAStopFromAnotherThread() throws Exception {
        try (TinyVm vm = TinyVm.create(TinyVm.Mode.REAL, false, "guest/spin.S")) {
            vm.runner().start();
            Thread.sleep(300);
            assertTrue(!vm.runner().stopped().isDone(), "the spin program must still be running");
            long t0 = System.nanoTime();
            vm.runner().stop();
            VcpuRunner.Stop stop = vm.runner().await(5, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(VcpuRunner.Reason.STOPPED, stop.reason());
            System.out.printf("[figure] spinning vCPU stopped %.2f ms after stop()%n", (System.nanoTime() - t0) / 1e6);
            assertTrue(ms < 100, "stop took " + ms + " ms");
            assertEquals(GuestProgram.LOAD_GPA, vm.runner().vcpu().getRegs().rip(), "the vCPU was spinning on jmp .");
        }
    }
}
