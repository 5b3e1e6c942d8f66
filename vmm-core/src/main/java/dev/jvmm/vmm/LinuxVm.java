package dev.jvmm.vmm;

import dev.jvmm.acpi.AcpiTables;
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
import dev.jvmm.kvm.sys.KvmCaps;
import dev.jvmm.kvm.sys.KvmSystem;
import dev.jvmm.kvm.sys.VcpuFd;
import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.memory.sys.GuestRam;
import dev.jvmm.devices.PowerButton;
import dev.jvmm.pci.PciBarAllocator;
import dev.jvmm.pci.PciIntxRouting;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Linux guest booted directly (no firmware): guest RAM laid out for x86, the kernel, command line and
 * initrd placed by {@link LinuxLoader}, identity page tables, boot GDT, MP table and ACPI tables
 * ({@link AcpiTables}, RSDP at 0xe0000 and in {@code boot_params.acpi_rsdp_addr}) written, the in-kernel
 * irqchip and PIT, the PC platform devices, and one platform thread per vCPU. The boot vCPU enters the
 * kernel's 64-bit entry point in long mode; the others wait for the kernel's INIT/SIPI in the in-kernel
 * LAPIC.
 *
 * <p>{@code -device}s are attached through the {@link DeviceProvider}s on the class path once the platform
 * exists, before the MP table is written (it describes their INTx routes) and before any vCPU runs.
 *
 * <p>The VM ends with an {@link Exit}: the guest powered off or reset, the host stopped or reset it, or
 * something failed. Closing releases vCPUs, the
 * attached devices, memslots, the VM, guest RAM and /dev/kvm, in that order.
 *
 * <p>Threads. {@link #start()}, {@link #pause}, {@link #resume()} and the queries belong to one
 * controlling thread (the {@link VmController}'s); {@link #hostStop}, {@link #hostReset} and the guest's
 * own reset and power-off requests may come from any thread, vCPU threads included, and never wait for
 * the controlling thread, so a controlling thread waiting for vCPUs to park cannot deadlock with them.
 */
public final class LinuxVm implements AutoCloseable {
    /** How a run ended: the guest powered off or reset, the host stopped or reset it, or it failed. */
    public enum Outcome { POWER_OFF, RESET, HOST_STOP, HOST_RESET, ERROR }

    public record Exit(Outcome outcome, String detail) {
    }

    private final KvmSystem kvm;
    private final GuestRam ram;
    private final Vm vm;
    private final Platform platform;
    private final BootSetup boot;
    private final List<VcpuRunner> runners = new ArrayList<>();
    private AttachedDevices devices;
    private final CompletableFuture<Exit> ended = new CompletableFuture<>();
    private boolean started;
    private boolean paused;
    /** The kvmclock when the vCPUs were paused, restored on resume. */
    private long frozenClock;

    private LinuxVm(KvmSystem kvm, GuestRam ram, Vm vm, BootSetup boot, OutputStream console) {
        this.kvm = kvm;
        this.ram = ram;
        this.vm = vm;
        this.boot = boot;
        this.platform = new Platform(vm.fd(), ram.layout(), console, this::guestReset, cause -> guestPoweredOff());
    }

    /** Builds the VM from {@code config}; the guest console goes to {@code console}. */
    public static LinuxVm create(VmConfig config, OutputStream console) {
        return create(config, console, AttachedDevices.installedProviders());
    }

    /**
     * As {@link #create(VmConfig, OutputStream)}, with the {@code -device}s built by {@code providers}.
     *
     * @throws ConfigException before anything is allocated when no provider (or more than one) accepts a
     *         {@code -device}
     */
    public static LinuxVm create(VmConfig config, OutputStream console, List<DeviceProvider> providers) {
        Map<DeviceProvider, List<VmConfig.DeviceSpec>> plan = AttachedDevices.plan(config.devices(), providers);
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
            Gpa rsdp = AcpiTables.write(ram, layout, config.vcpus());
            BootSetup boot = LinuxLoader.load(ram, kernel, config.cmdline(), initrd, Optional.of(rsdp));
            long cr3 = PageTables.write(ram);
            DescriptorTable gdtr = BootGdt.write(ram);
            Vm vm = Vm.create(kvm, ram, true);
            built.add(vm);
            LinuxVm linux = new LinuxVm(kvm, ram, vm, boot, console);
            Platform platform = linux.platform;
            linux.devices = AttachedDevices.attach(plan, new Machine(vm, ram, platform.pci(), platform.mmio(),
                    platform.pio(), PciBarAllocator.forLayout(layout)));
            built.add(linux.devices);
            MpTable.write(ram, config.vcpus(), PciIntxRouting.routes(platform.pci()));
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
        if (kvm.checkExtension(KvmCaps.KVM_CAP_TSC_DEADLINE_TIMER) > 0) {
            supported = CpuidFixups.withTscDeadlineTimer(supported);
        }
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

    /**
     * The host wants the VM gone (SIGTERM, QMP quit). Returns false when the VM was already ending for
     * another reason, which then stands.
     */
    public boolean hostStop(String why) {
        return end(new Exit(Outcome.HOST_STOP, why));
    }

    /**
     * The host wants the machine reset (QMP system_reset): the run ends with {@link Outcome#HOST_RESET}
     * and the VMM builds the VM afresh. Returns false when the VM was already ending for another reason.
     */
    public boolean hostReset(String why) {
        return end(new Exit(Outcome.HOST_RESET, why));
    }

    private boolean end(Exit exit) {
        if (ended.complete(exit)) {
            runners.forEach(VcpuRunner::stop);
            return true;
        }
        return false;
    }

    /** Starts every vCPU and waits until the VM ends; all vCPU threads have stopped on return. */
    public Exit run() throws InterruptedException {
        start();
        return awaitExit();
    }

    /**
     * Starts every vCPU thread; a VM paused before keeps its vCPUs parked before their first KVM_RUN.
     * Returns once every thread runs (so {@link #vcpus()} shows their thread IDs).
     */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("the VM was already started");
        }
        started = true;
        runners.forEach(VcpuRunner::start);
    }

    /** Waits until the VM ends; all vCPU threads have stopped on return. */
    public Exit awaitExit() throws InterruptedException {
        Exit exit;
        try {
            exit = ended.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        for (VcpuRunner r : runners) {
            try {
                r.await(5, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                return new Exit(Outcome.ERROR, "vcpu " + r.vcpu().id() + " did not stop within 5 s");
            }
        }
        return exit;
    }

    /**
     * Parks every vCPU outside KVM_RUN, waiting at most {@code timeout}, then freezes the guest clock
     * (KVM_GET_CLOCK), as QEMU does, so the guest sees no time pass while paused. Before {@link #start()}
     * it only records the request: the vCPUs will park before their first KVM_RUN. Does nothing when
     * already paused. If a vCPU does not park in time, every vCPU is let run again and this throws.
     */
    public synchronized void pause(Duration timeout) throws TimeoutException, InterruptedException {
        if (paused) {
            return;
        }
        List<CompletableFuture<Void>> parked = runners.stream().map(VcpuRunner::pause).toList();
        if (started) {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (int i = 0; i < parked.size(); i++) {
                try {
                    parked.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    runners.forEach(VcpuRunner::resume);
                    throw new TimeoutException("vcpu " + runners.get(i).vcpu().id() + " did not leave KVM_RUN within "
                            + timeout.toMillis() + " ms of the pause request; the VM keeps running");
                } catch (ExecutionException e) {
                    runners.forEach(VcpuRunner::resume);
                    throw new IllegalStateException("pausing vcpu " + runners.get(i).vcpu().id() + " failed", e.getCause());
                }
            }
        }
        frozenClock = vm.fd().getClock();
        paused = true;
    }

    /** Gives the guest clock back the value it had at {@link #pause} (KVM_SET_CLOCK), then lets the vCPUs run. */
    public synchronized void resume() {
        if (!paused) {
            return;
        }
        vm.fd().setClock(frozenClock);
        paused = false;
        runners.forEach(VcpuRunner::resume);
    }

    public synchronized boolean isPaused() {
        return paused;
    }

    /** The vCPUs in index order, with their host threads; all in package 0, one core each (see CpuidFixups). */
    public List<VcpuInfo> vcpus() {
        return runners.stream().map(r -> new VcpuInfo(r.vcpu().id(), r.threadId(), 0, r.vcpu().id(), 0)).toList();
    }

    /** The guest's power button, if the platform has a device that provides one (ACPI). */
    public Optional<PowerButton> powerButton() {
        return platform.powerButton();
    }

    /** The vCPU runners, for tests and monitoring. */
    public List<VcpuRunner> runners() {
        return List.copyOf(runners);
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
            devices.close();
        } finally {
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
}
