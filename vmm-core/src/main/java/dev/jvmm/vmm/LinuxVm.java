package dev.jvmm.vmm;

import dev.jvmm.boot.BootGdt;
import dev.jvmm.boot.BootSetup;
import dev.jvmm.boot.BzImage;
import dev.jvmm.boot.Initrd;
import dev.jvmm.boot.LinuxLoader;
import dev.jvmm.boot.MpTable;
import dev.jvmm.boot.PageTables;
import dev.jvmm.cli.ConfigException;
import dev.jvmm.cli.VmConfig;
import dev.jvmm.kvm.BusExitHandler;
import dev.jvmm.kvm.CpuModes;
import dev.jvmm.kvm.CpuidEntry;
import dev.jvmm.kvm.CpuidFixups;
import dev.jvmm.kvm.DescriptorTable;
import dev.jvmm.kvm.Regs;
import dev.jvmm.kvm.VcpuRunner;
import dev.jvmm.kvm.Vm;
import dev.jvmm.kvm.sys.KvmSystem;
import dev.jvmm.kvm.sys.VcpuFd;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.memory.sys.GuestRam;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Linux guest booted directly (no firmware): guest RAM laid out for x86, the kernel, command line and
 * initrd placed by {@link LinuxLoader}, identity page tables, boot GDT and MP table written, the in-kernel
 * irqchip and PIT, the PC platform devices, and one platform thread per vCPU. The boot vCPU enters the
 * kernel's 64-bit entry point in long mode; the others wait for the kernel's INIT/SIPI in the in-kernel
 * LAPIC.
 *
 * <p>The VM ends with an {@link Exit}: the guest powered off or reset, the host stopped it, or something
 * failed. Closing releases vCPUs, memslots, the VM, guest RAM and /dev/kvm, in that order.
 */
public final class LinuxVm implements AutoCloseable {
    /** How a run ended. */
    public enum Outcome { POWER_OFF, RESET, HOST_STOP, ERROR }

    public record Exit(Outcome outcome, String detail) {
    }

    private final KvmSystem kvm;
    private final GuestRam ram;
    private final Vm vm;
    private final Platform platform;
    private final BootSetup boot;
    private final List<VcpuRunner> runners = new ArrayList<>();
    private final CompletableFuture<Exit> ended = new CompletableFuture<>();

    private LinuxVm(KvmSystem kvm, GuestRam ram, Vm vm, BootSetup boot, OutputStream console) {
        this.kvm = kvm;
        this.ram = ram;
        this.vm = vm;
        this.boot = boot;
        this.platform = new Platform(vm.fd(), ram.layout(), console, this::guestReset);
    }

    /** Builds the VM from {@code config}; the guest console goes to {@code console}. */
    public static LinuxVm create(VmConfig config, OutputStream console) {
        BzImage kernel = BzImage.read(config.kernel());
        Optional<Initrd> initrd = config.initrd().map(Initrd::read);
        GuestLayout layout = GuestLayout.x86(config.memoryBytes());
        // Check that everything fits before allocating anything: errors name the -m that would work.
        LinuxLoader.plan(layout, kernel, config.cmdline(), initrd.map(Initrd::size).orElse(0L));
        List<AutoCloseable> built = new ArrayList<>();
        try {
            KvmSystem kvm = KvmSystem.open();
            built.add(kvm);
            if (config.vcpus() > kvm.maxVcpus() || config.vcpus() > MpTable.MAX_CPUS) {
                throw new ConfigException("-smp " + config.vcpus() + ": this host's KVM allows at most "
                        + Math.min(kvm.maxVcpus(), MpTable.MAX_CPUS) + " vCPUs per VM");
            }
            GuestRam ram = GuestRam.create(layout, false);
            built.add(ram);
            BootSetup boot = LinuxLoader.load(ram, kernel, config.cmdline(), initrd);
            long cr3 = PageTables.write(ram);
            DescriptorTable gdtr = BootGdt.write(ram);
            MpTable.write(ram, config.vcpus());
            Vm vm = Vm.create(kvm, ram, true);
            built.add(vm);
            LinuxVm linux = new LinuxVm(kvm, ram, vm, boot, console);
            linux.createVcpus(config.vcpus(), cr3, gdtr);
            return linux;
        } catch (RuntimeException e) {
            for (int i = built.size() - 1; i >= 0; i--) {
                try {
                    built.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private void createVcpus(int count, long cr3, DescriptorTable gdtr) {
        List<CpuidEntry> supported = kvm.supportedCpuid();
        BusExitHandler exits = new BusExitHandler(platform.pio(), platform.mmio());
        for (int id = 0; id < count; id++) {
            VcpuFd vcpu = vm.createVcpu(id, CpuidFixups.forVcpu(supported, id, count));
            vcpu.configureLocalInterrupts();
            if (id == 0) {
                vcpu.setSregs(CpuModes.longMode(vcpu.getSregs(), gdtr, cr3, BootGdt.CODE64, BootGdt.DATA));
                vcpu.setRegs(Regs.entry(boot.entryPoint().value(), boot.stackPointer().value(),
                        boot.zeroPage().value()));
            }
            VcpuRunner runner = new VcpuRunner(vcpu, exits);
            runner.stopped().thenAccept(this::vcpuStopped);
            runners.add(runner);
        }
    }

    private void vcpuStopped(VcpuRunner.Stop stop) {
        Exit exit = switch (stop.reason()) {
            case STOPPED -> null; // the VM is being stopped: the reason is already recorded
            case GUEST_POWEROFF -> new Exit(Outcome.POWER_OFF, "");
            case GUEST_RESET -> new Exit(Outcome.RESET, "");
            case GUEST_SHUTDOWN -> new Exit(Outcome.RESET, stop.detail()); // a triple fault resets a PC
            case HALTED, ERROR -> new Exit(Outcome.ERROR, stop.detail());
        };
        if (exit != null) {
            end(exit);
        }
    }

    /** The i8042 or port 0x92 asked for a reset (Linux's reboot=k and reboot=a paths). */
    private void guestReset(String cause) {
        end(new Exit(Outcome.RESET, cause));
    }

    /** The guest powered itself off (ACPI PM1 control write with the S5 sleep type). */
    public void guestPoweredOff() {
        end(new Exit(Outcome.POWER_OFF, ""));
    }

    /** The host wants the VM gone (SIGTERM, QMP quit). */
    public void hostStop(String why) {
        end(new Exit(Outcome.HOST_STOP, why));
    }

    private void end(Exit exit) {
        if (ended.complete(exit)) {
            runners.forEach(VcpuRunner::stop);
        }
    }

    /** Starts every vCPU and waits until the VM ends; all vCPU threads have stopped on return. */
    public Exit run() throws InterruptedException {
        runners.forEach(VcpuRunner::start);
        Exit exit;
        try {
            exit = ended.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        for (VcpuRunner r : runners) {
            try {
                r.await(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return new Exit(Outcome.ERROR, "vcpu " + r.vcpu().id() + " did not stop within 5 s");
            }
        }
        return exit;
    }

    public Platform platform() {
        return platform;
    }

    public Vm vm() {
        return vm;
    }

    public BootSetup boot() {
        return boot;
    }

    public GuestRam ram() {
        return ram;
    }

    @Override
    public void close() {
        for (VcpuRunner r : runners) {
            if (r.isStarted() && !r.stopped().isDone()) {
                r.stop();
                r.stopped().orTimeout(5, TimeUnit.SECONDS).join();
            }
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
