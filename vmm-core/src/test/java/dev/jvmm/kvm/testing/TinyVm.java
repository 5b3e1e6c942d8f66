package dev.jvmm.kvm.testing;

import dev.jvmm.bus.Bus;
import dev.jvmm.kvm.VcpuRunner;
import dev.jvmm.kvm.Vm;
import dev.jvmm.vmm.FlatProgramVm;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;

/** A {@link FlatProgramVm} running one of the programs in {@code src/test/resources/guest}, console captured. */
public final class TinyVm implements AutoCloseable {
    public enum Mode { REAL, PROTECTED, LONG }

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final FlatProgramVm vm;

    private TinyVm(Mode mode, boolean irqchip, GuestProgram program) {
        vm = new FlatProgramVm(FlatProgramVm.Mode.valueOf(mode.name()), irqchip, program.bytes(), console);
    }

    public static TinyVm create(Mode mode, boolean irqchip, String program) {
        return new TinyVm(mode, irqchip, GuestProgram.assemble(program));
    }

    public Bus pio() {
        return vm.pio();
    }

    public Bus mmio() {
        return vm.mmio();
    }

    public Vm vm() {
        return vm.vm();
    }

    public VcpuRunner runner() {
        return vm.runner();
    }

    public String serialOutput() {
        synchronized (console) {
            return console.toString(StandardCharsets.US_ASCII);
        }
    }

    public int exitCode() {
        return vm.exitCode();
    }

    /** Runs until the program stops; fails with the console so far when it does not within {@code seconds}. */
    public VcpuRunner.Stop run(long seconds) throws Exception {
        try {
            return vm.run(seconds);
        } catch (TimeoutException e) {
            throw new AssertionError(e.getMessage() + "; console so far: " + serialOutput());
        }
    }

    @Override
    public void close() {
        vm.close();
    }
}
