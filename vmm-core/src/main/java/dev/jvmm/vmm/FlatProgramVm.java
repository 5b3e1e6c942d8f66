package dev.jvmm.vmm;

import dev.jvmm.bus.Bus;
import dev.jvmm.bus.BusDevice;
import dev.jvmm.kvm.BusExitHandler;
import dev.jvmm.kvm.CpuModes;
import dev.jvmm.kvm.Regs;
import dev.jvmm.kvm.Sregs;
import dev.jvmm.kvm.VcpuRunner;
import dev.jvmm.kvm.Vm;
import dev.jvmm.kvm.sys.KvmSystem;
import dev.jvmm.kvm.sys.VcpuFd;
import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.memory.sys.GuestRam;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A 2 MiB VM with one vCPU running a flat program loaded at {@link #LOAD_GPA}, entered in real,
 * protected or long mode. Port 0x3f8 is a write-only console, port 0x501 ends the run with the byte
 * written as exit code (QEMU's isa-debug-exit convention).
 *
 * <p>Memory map: GDT at 0x500, program at 0x1000, stack below 0x8000, page tables from 0x9000 (long mode).
 */
public final class FlatProgramVm implements AutoCloseable {
    public enum Mode { REAL, PROTECTED, LONG }

    public static final long LOAD_GPA = 0x1000;
    public static final long STACK_TOP = 0x8000;
    public static final long GDT = 0x500;
    public static final long PML4 = 0x9000;
    public static final int CONSOLE_PORT = 0x3f8;
    public static final int EXIT_PORT = 0x501;

    private final KvmSystem kvm;
    private final GuestRam ram;
    private final Vm vm;
    private final Bus pio = new Bus("pio");
    private final Bus mmio = new Bus("mmio");
    private final VcpuRunner runner;
    private volatile int exitCode = -1;

    public FlatProgramVm(Mode mode, boolean irqchip, byte[] program, OutputStream console) {
        if (program.length == 0 || program.length > STACK_TOP - LOAD_GPA - 0x1000) {
            throw new IllegalArgumentException("a flat program must be 1 to " + (STACK_TOP - LOAD_GPA - 0x1000)
                    + " bytes, got " + program.length);
        }
        kvm = KvmSystem.open();
        GuestRam r = null;
        Vm v = null;
        try {
            r = GuestRam.create(GuestLayout.x86(2 * GuestLayout.MIB), false);
            v = Vm.create(kvm, r, irqchip);
            VcpuFd vcpu = v.createVcpu(0, kvm.supportedCpuid());
            r.write(Gpa.of(LOAD_GPA), program);
            vcpu.setSregs(enter(mode, vcpu.getSregs(), r));
            vcpu.setRegs(Regs.entry(LOAD_GPA, STACK_TOP, 0));
            runner = new VcpuRunner(vcpu, new BusExitHandler(pio, mmio));
        } catch (RuntimeException e) {
            if (v != null) {
                v.close();
            }
            if (r != null) {
                r.close();
            }
            kvm.close();
            throw e;
        }
        ram = r;
        vm = v;
        pio.register("console", CONSOLE_PORT, 8, new ConsolePort(console));
        pio.register("exit", EXIT_PORT, 1, new BusDevice() {
            @Override
            public long read(long offset, int size) {
                return 0;
            }

            @Override
            public void write(long offset, int size, long value) {
                exitCode = (int) (value & 0xff);
                runner.requestStopFromVcpu();
            }
        });
    }

    private static Sregs enter(Mode mode, Sregs reset, GuestRam ram) {
        long[] gdt = CpuModes.gdtEntries();
        for (int i = 0; i < gdt.length; i++) {
            ram.writeLong(Gpa.of(GDT + 8L * i), gdt[i]);
        }
        return switch (mode) {
            case REAL -> CpuModes.realMode(reset);
            case PROTECTED -> CpuModes.protectedMode(reset, GDT);
            case LONG -> {
                writeIdentityPageTables(ram);
                yield CpuModes.longMode(reset, GDT, PML4);
            }
        };
    }

    /** 4 GiB identity map with 2 MiB pages: PML4 at 0x9000, PDPT at 0xa000, four PDs from 0xb000. */
    private static void writeIdentityPageTables(GuestRam ram) {
        long pdpt = PML4 + 0x1000;
        ram.writeLong(Gpa.of(PML4), pdpt | 0x3);
        for (int i = 0; i < 4; i++) {
            long pd = pdpt + 0x1000L * (i + 1);
            ram.writeLong(Gpa.of(pdpt + 8L * i), pd | 0x3);
            for (int j = 0; j < 512; j++) {
                ram.writeLong(Gpa.of(pd + 8L * j), ((long) (i * 512 + j) << 21) | 0x83);
            }
        }
    }

    /** The transmit register of a UART whose line status always says "ready": enough for a console. */
    private record ConsolePort(OutputStream out) implements BusDevice {
        @Override
        public long read(long offset, int size) {
            return offset == 5 ? 0x60 : 0;
        }

        @Override
        public void write(long offset, int size, long value) {
            if (offset == 0) {
                try {
                    out.write((int) value);
                    out.flush();
                } catch (java.io.IOException e) {
                    throw new UncheckedIOException("console output failed", e);
                }
            }
        }
    }

    public Bus pio() {
        return pio;
    }

    public Bus mmio() {
        return mmio;
    }

    public Vm vm() {
        return vm;
    }

    public VcpuRunner runner() {
        return runner;
    }

    /** The byte the program wrote to the exit port, or -1. */
    public int exitCode() {
        return exitCode;
    }

    /** Runs until the program ends or {@code seconds} pass (then stops it and throws). */
    public VcpuRunner.Stop run(long seconds) throws TimeoutException, InterruptedException {
        runner.start();
        try {
            return runner.await(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            runner.stop();
            runner.await(5, TimeUnit.SECONDS);
            throw new TimeoutException("guest program did not finish in " + seconds + " s");
        }
    }

    @Override
    public void close() {
        try {
            if (runner.isStarted() && !runner.stopped().isDone()) {
                runner.stop();
                runner.stopped().orTimeout(5, TimeUnit.SECONDS).join();
            }
            vm.close();
        } finally {
            try {
                ram.close();
            } finally {
                kvm.close();
            }
        }
    }
}
