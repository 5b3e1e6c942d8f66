package dev.jvmm.testhost;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The container's command: QEMU under TCG as L1, with the devices and IOMMU the options ask for.
 * A pure function of its inputs, so the command line can be checked without starting anything.
 *
 * <p>L1 has one vCPU ({@link TestHostOptions#DEFAULT_CPUS}). With two, QEMU 7.2's TCG runs each on its
 * own thread and keeps running code that the other vCPU has rewritten: a thread calling a function that
 * another thread rewrote 100 million times in 20 s saw the new code 205 times (the cross-modifying code
 * probe in TestHostLifecycleTest). JVMs patch compiled code that other threads run, so L1's JVMs crashed
 * at patched method entries (SIGSEGV, SIGILL) in about one run in ten. TCG's single-threaded mode
 * ({@code thread=single}) is coherent but gives each vCPU 100 ms turns, which stalls an SMP L2 guest's
 * handshakes for minutes; one vCPU is coherent and boots an {@code -smp 2} L2 as fast as two did.
 */
final class L1Machine {
    /** Where the host's root is bind-mounted (read-only) in the container; shared to L1 as "hostfs". */
    static final String CONTAINER_HOST_ROOT = "/hostroot";
    /** Where the run directory is bind-mounted (read-write) in the container; shared to L1 as "jvmmout". */
    static final String CONTAINER_RUN = "/jvmm-run";
    /** Where L1's agent mounts the run directory inside the host root it chroots into. */
    static final String L1_RUN = "/run/jvmm/out";

    private L1Machine() {}

    /**
     * @param kernel  L1's kernel on the host
     * @param initrd  L1's initramfs (the agent) on the host
     */
    static List<String> command(TestHostOptions options, Path kernel, Path initrd) {
        List<String> cmd = new ArrayList<>(List.of(
                "timeout", "-s", "KILL", Long.toString(options.maxLifetime().toSeconds()),
                "qemu-system-x86_64",
                "-M", "q35,kernel-irqchip=split", "-cpu", "max",
                "-m", Integer.toString(options.memoryMib()), "-smp", Integer.toString(options.cpus()),
                "-nodefaults", "-display", "none", "-serial", "stdio", "-no-reboot"));
        if (options.iommu().emulatedIommu()) {
            cmd.addAll(List.of("-device", "intel-iommu,intremap=on,caching-mode=on"));
        }
        for (EmulatedDevice device : options.devices()) {
            cmd.addAll(device.qemuArgs());
        }
        cmd.addAll(List.of(
                "-virtfs", "local,path=" + CONTAINER_HOST_ROOT
                        + ",mount_tag=hostfs,security_model=none,readonly=on,multidevs=remap",
                "-virtfs", "local,path=" + CONTAINER_RUN + ",mount_tag=jvmmout,security_model=none,multidevs=remap",
                "-kernel", CONTAINER_HOST_ROOT + kernel.toAbsolutePath(),
                "-initrd", CONTAINER_HOST_ROOT + initrd.toAbsolutePath(),
                "-append", String.join(" ", kernelArgs(options))));
        return cmd;
    }

    static List<String> kernelArgs(TestHostOptions options) {
        List<String> args = new ArrayList<>(List.of("console=ttyS0", "panic=-1", "quiet"));
        args.addAll(options.iommu().kernelArgs());
        args.add("jvmm.idle=" + options.maxLifetime().toSeconds());
        keptHostPaths(Optional.ofNullable(System.getProperty("jvmm.root"))).forEach(p -> args.add("jvmm.keep=" + p));
        return args;
    }

    /** Directories L1 hides under its own tmpfs mounts (see images/l1/init). */
    static final List<String> L1_TMPFS = List.of("/tmp", "/run", "/var/tmp", "/dev/shm");

    /**
     * The project root when L1 would hide it under one of its tmpfs mounts ({@code jvmm.keep=}), so that
     * bin/vmm and the test classes stay visible in L1 from a checkout in /tmp, for instance.
     */
    static List<String> keptHostPaths(Optional<String> projectRoot) {
        return projectRoot.map(r -> Path.of(r).toAbsolutePath().normalize())
                .filter(r -> L1_TMPFS.stream().anyMatch(t -> r.startsWith(t) && !r.equals(Path.of(t))))
                .map(r -> List.of(r.toString())).orElse(List.of());
    }
}
