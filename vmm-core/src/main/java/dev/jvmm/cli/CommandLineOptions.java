package dev.jvmm.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code bin/vmm} options as picocli sees them; {@link #toConfig()} validates them into a {@link VmConfig}. */
@Command(name = "vmm", sortOptions = false, usageHelpAutoWidth = true,
        description = "Boots a Linux guest on KVM (direct kernel boot, no BIOS) with PCI devices assigned through VFIO.",
        footer = {"", "Example:",
            "  bin/vmm -kernel bzImage -initrd initrd.gz -append \"console=ttyS0\" -m 512 -smp 2 \\",
            "          -device vfio-pci,host=0000:01:00.0 -qmp unix:/run/vm.qmp,server=on,wait=off"})
public final class CommandLineOptions {
    static final String DEFAULT_APPEND = "console=ttyS0";
    static final String DEFAULT_MEMORY = "512";
    static final String DEFAULT_SMP = "1";
    static final String DEFAULT_SERIAL = "stdio";
    /** The options that take a value; only -device may be given more than once. */
    private static final Set<String> VALUED = Set.of("-kernel", "-initrd", "-append", "-m", "-smp", "-serial",
            "-device", "-qmp", "-stats");
    private static final String NO_REBOOT = "-no-reboot";

    @Option(names = "-kernel", paramLabel = "BZIMAGE", required = true,
            description = "Linux kernel to boot: a bzImage (boot protocol 2.12 or later, 64-bit entry).")
    String kernel;

    @Option(names = "-initrd", paramLabel = "FILE", description = "Initial ramdisk loaded below the kernel's initrd_addr_max.")
    String initrd;

    @Option(names = "-append", paramLabel = "CMDLINE", defaultValue = DEFAULT_APPEND,
            description = "Kernel command line (default: ${DEFAULT-VALUE}).")
    String append;

    @Option(names = "-m", paramLabel = "SIZE", defaultValue = DEFAULT_MEMORY,
            description = "Guest RAM: MiB, or with a K/M/G suffix (default: ${DEFAULT-VALUE} MiB). "
                    + "RAM above 3 GiB continues at 4 GiB, past the PCI hole.")
    String memory;

    @Option(names = "-smp", paramLabel = "N", defaultValue = DEFAULT_SMP,
            description = "Number of vCPUs, 1 to what KVM allows on this host (default: ${DEFAULT-VALUE}).")
    String smp;

    @Option(names = "-serial", paramLabel = "DEV", defaultValue = DEFAULT_SERIAL,
            description = "Where the guest's 16550 console (ttyS0) goes: stdio, none or file:PATH (default: ${DEFAULT-VALUE}).")
    String serial;

    @Option(names = "-device", paramLabel = "SPEC",
            description = "Assign a host PCI device: vfio-pci,host=DDDD:BB:DD.F[,id=NAME][,addr=SLOT] "
                    + "or vfio-pci,sysfsdev=/sys/bus/pci/devices/DDDD:BB:DD.F. The device must be bound to vfio-pci.")
    List<String> devices = new ArrayList<>();

    @Option(names = "-qmp", paramLabel = "CHARDEV",
            description = "QMP control socket: unix:PATH,server=on,wait=off (mode 0600) or tcp:HOST:PORT,server=on,wait=off.")
    String qmp;

    @Option(names = NO_REBOOT, description = "Exit instead of restarting when the guest reboots.")
    boolean noReboot;

    @Option(names = "-stats", paramLabel = "PATH",
            description = "When a VM run ends, write as JSON to PATH: when the first vCPU entered KVM_RUN (ms after"
                    + " the process started) and the run's user-space exits per vCPU and exit reason, per port and MMIO"
                    + " bus range, unclaimed accesses per page, and the PCI functions' BARs.")
    String stats;

    @Option(names = {"-h", "-help", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    /** Validates every option; throws {@link ConfigException} naming the first bad one. */
    public VmConfig toConfig() {
        return new VmConfig(OptionParsers.existingFile("-kernel", kernel),
                Optional.ofNullable(initrd).map(i -> OptionParsers.existingFile("-initrd", i)),
                append, OptionParsers.memory(memory), OptionParsers.smp(smp), OptionParsers.serial(serial),
                OptionParsers.devices(devices), Optional.ofNullable(qmp).map(OptionParsers::qmp), noReboot,
                Optional.ofNullable(stats).map(java.nio.file.Path::of));
    }

    /** Parses {@code args}; returns null when help was printed. */
    public static VmConfig parse(String[] args, java.io.PrintWriter out) {
        CommandLineOptions plain = plain(args);
        return plain != null ? plain.toConfig() : parseWithPicocli(args, out);
    }

    /** {@link #parse} through picocli always: help, and the messages for command lines it refuses. */
    static VmConfig parseWithPicocli(String[] args, java.io.PrintWriter out) {
        CommandLineOptions options = new CommandLineOptions();
        CommandLine cl = new CommandLine(options);
        try {
            cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new ConfigException(e.getMessage() + " (see bin/vmm --help)");
        }
        if (options.help) {
            cl.usage(out);
            out.flush();
            return null;
        }
        return options.toConfig();
    }

    /**
     * The options of an ordinary command line without picocli: every option known, each given once
     * (-device any number of times), each value present and not starting with '-', -kernel among them.
     * Returns null for anything else (help, unknown or repeated options, a missing value), which picocli
     * then parses and explains. Picocli's reflective model building runs for seconds in the interpreter
     * of a JVM under nested virtualization, where the VMM's start-up time is the guest's boot time.
     */
    static CommandLineOptions plain(String[] args) {
        CommandLineOptions o = new CommandLineOptions();
        o.append = DEFAULT_APPEND;
        o.memory = DEFAULT_MEMORY;
        o.smp = DEFAULT_SMP;
        o.serial = DEFAULT_SERIAL;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals(NO_REBOOT)) {
                if (!seen.add(option)) {
                    return null;
                }
                o.noReboot = true;
                continue;
            }
            if (!VALUED.contains(option) || i + 1 == args.length || args[i + 1].startsWith("-")
                    || (!option.equals("-device") && !seen.add(option))) {
                return null;
            }
            String value = args[++i];
            switch (option) {
                case "-kernel" -> o.kernel = value;
                case "-initrd" -> o.initrd = value;
                case "-append" -> o.append = value;
                case "-m" -> o.memory = value;
                case "-smp" -> o.smp = value;
                case "-serial" -> o.serial = value;
                case "-device" -> o.devices.add(value);
                case "-qmp" -> o.qmp = value;
                case "-stats" -> o.stats = value;
                default -> throw new IllegalStateException("option " + option + " is in VALUED but not handled");
            }
        }
        return o.kernel == null ? null : o;
    }
}
