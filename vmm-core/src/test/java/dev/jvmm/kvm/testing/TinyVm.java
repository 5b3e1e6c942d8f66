package dev.jvmm.kvm.testing;

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
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A 2 MiB VM with one vCPU for the tiny programs in {@code src/test/resources/guest}: loads a program at
 * 0x1000, enters it in the chosen mode, captures port 0x3f8 and stops when the program writes its exit
 * code to port 0x501.
 */
public final class TinyVm implements AutoCloseable {
    public enum Mode { REAL, PROTECTED, LONG }

    public static final long GDT = 0x500;
    public static final long PML4 = 0x9000;

    private final KvmSystem kvm;
    private final GuestRam ram;
    private final Vm vm;
    private final VcpuFd vcpu;
    private final Bus pio = new Bus("pio");
    private final Bus mmio = new Bus("mmio");
    private final ByteArrayOutputStream serial = new ByteArrayOutputStream();
    private final VcpuRunner runner;
    private volatile int exitCode = -1;

    private TinyVm(Mode mode, boolean irqchip, GuestProgram program) {
        kvm = KvmSystem.open();
        ram = GuestRam.create(GuestLayout.x86(2 * GuestLayout.MIB), false);
        vm = Vm.create(kvm, ram, irqchip);
        vcpu = vm.createVcpu(0, kvm.supportedCpuid());
        ram.write(Gpa.of(GuestProgram.LOAD_GPA), program.bytes());
        long[] gdt = CpuModes.gdtEntries();
        for (int i = 0; i < gdt.length; i++) {
            ram.writeLong(Gpa.of(GDT + 8L * i), gdt[i]);
        }
        Sregs reset = vcpu.getSregs();
        Sregs sregs = switch (mode) {
            case REAL -> CpuModes.realMode(reset);
            case PROTECTED -> CpuModes.protectedMode(reset, GDT);
            case LONG -> {
                writeIdentityPageTables();
                yield CpuModes.longMode(reset, GDT, PML4);
            }
        };
        vcpu.setSregs(sregs);
        vcpu.setRegs(Regs.entry(GuestProgram.LOAD_GPA, GuestProgram.STACK_TOP_GPA, 0));
        runner = new VcpuRunner(vcpu, new BusExitHandler(pio, mmio));
        pio.register("serial-capture", 0x3f8, 8, new BusDevice() {
            @Override
            public long read(long offset, int size) {
                return offset == 5 ? 0x60 : 0; // LSR: transmitter empty
            }

            @Override
            public void write(long offset, int size, long value) {
                if (offset == 0) {
                    synchronized (serial) {
                        serial.write((int) value);
                    }
                }
            }
        });
        pio.register("exit", 0x501, 1, new BusDevice() {
            @Override
            public long read(long offset, int size) {
                return 0;
            }

            @Override
            public void write(long offset, int size, long value) {
                exitCode = (int) value;
                runner.requestStopFromVcpu();
            }
        });
    }

    /** 4 GiB identity map with 2 MiB pages: PML4 at 0x9000, PDPT at 0xa000, four PDs from 0xb000. */
    private void writeIdentityPageTables() {
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

    public static TinyVm create(Mode mode, boolean irqchip, String program) {
        return new TinyVm(mode, irqchip, GuestProgram.assemble(program));
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

    public String serialOutput() {
        synchronized (serial) {
            return serial.toString(StandardCharsets.US_ASCII);
        }
    }

    public int exitCode() {
        return exitCode;
    }

    /** Runs until the program stops (or {@code seconds} pass, then stops it and fails). */
    public VcpuRunner.Stop run(long seconds) throws Exception {
        runner.start();
        try {
            return runner.await(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            runner.stop();
            runner.await(5, TimeUnit.SECONDS);
            throw new AssertionError("guest did not finish in " + seconds + " s; serial so far: " + serialOutput());
        }
    }

    @Override
    public void close() {
        if (runner.isStarted() && !runner.stopped().isDone()) {
            runner.stop();
            runner.stopped().orTimeout(5, TimeUnit.SECONDS).join();
        }
        try {
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
