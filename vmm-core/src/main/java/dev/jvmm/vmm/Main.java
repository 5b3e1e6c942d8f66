package dev.jvmm.vmm;

import dev.jvmm.boot.BootSetupException;
import dev.jvmm.boot.KernelImageException;
import dev.jvmm.cli.CommandLineOptions;
import dev.jvmm.cli.ConfigException;
import dev.jvmm.cli.VmConfig;
import dev.jvmm.kvm.sys.KvmUnsupportedException;
import dev.jvmm.memory.sys.ErrnoException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code bin/vmm}: boots the VM the command line describes, restarts it when the guest reboots (unless
 * {@code -no-reboot}) and exits when it powers off. With {@code -qmp} it serves a control channel for the
 * whole life of the process, across restarts: the {@link ControlChannelProvider} found on the class path
 * (qmp-api's) drives a {@link VmController}.
 *
 * <p>Exit codes: 0 the guest powered off (or rebooted with {@code -no-reboot}, or a QMP {@code quit} or
 * SIGTERM/SIGINT stopped it cleanly); 1 the VM failed (the message says why); 2 bad command line or input
 * files, or {@code -qmp} without a control channel implementation, or a {@code -device} no
 * {@link DeviceProvider} on the class path builds. Errors are one line on stderr, never a
 * stack trace.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.in));
    }

    /** Runs the VMM as {@code bin/vmm args} would and returns its exit code; for tests and embedding. */
    public static int run(String[] args, PrintStream out, PrintStream err, InputStream in) {
        // Looked up only for -qmp: the ServiceLoader scan opens every jar on the class path.
        return run(args, out, err, in, ControlChannel::installedProviders);
    }

    /** As {@link #run(String[], PrintStream, PrintStream, InputStream)} with the given channel providers. */
    static int run(String[] args, PrintStream out, PrintStream err, InputStream in,
            List<ControlChannelProvider> channelProviders) {
        return run(args, out, err, in, () -> channelProviders);
    }

    private static int run(String[] args, PrintStream out, PrintStream err, InputStream in,
            Supplier<List<ControlChannelProvider>> channelProviders) {
        VmConfig config;
        try {
            config = CommandLineOptions.parse(args, new PrintWriter(out));
            if (config == null) {
                return 0;
            }
        } catch (ConfigException e) {
            err.println("jvmm: " + e.getMessage());
            return 2;
        }
        try (OutputStream console = console(config.serial(), out);
             VmController control = new VmController(config.noReboot());
             ControlChannel channel = ControlChannel.open(config.qmp(), control,
                     config.qmp().isPresent() ? channelProviders.get() : List.of())) {
            installSignalHandlers(control, err);
            while (true) {
                LinuxVm.Exit exit;
                boolean restart;
                try (LinuxVm vm = LinuxVm.create(config, console)) {
                    if (config.serial() instanceof VmConfig.SerialSpec.Stdio) {
                        forwardInput(in, vm);
                    }
                    control.attach(vm);
                    exit = vm.awaitExit();
                    if (config.stats().isPresent()) {
                        writeStats(config.stats().get(), vm);
                    }
                    restart = control.vmEnded(exit);
                }
                if (restart) {
                    err.println("jvmm: " + (exit.outcome() == LinuxVm.Outcome.HOST_RESET ? "reset requested" : "guest reset")
                            + (exit.detail().isEmpty() ? "" : " (" + exit.detail() + ")") + ", restarting");
                    continue;
                }
                if (exit.outcome() == LinuxVm.Outcome.ERROR) {
                    err.println("jvmm: VM stopped: " + exit.detail());
                    return 1;
                }
                if (exit.outcome() == LinuxVm.Outcome.RESET) {
                    // Not an error (QEMU's -no-reboot exits 0 too), but a triple fault must not pass unseen.
                    err.println("jvmm: guest reset" + (exit.detail().isEmpty() ? "" : " (" + exit.detail() + ")")
                            + " with -no-reboot: exiting");
                }
                return 0;
            }
        } catch (ConfigException | KernelImageException | BootSetupException e) {
            err.println("jvmm: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("jvmm: " + e.getMessage());
            return 2;
        } catch (ErrnoException | KvmUnsupportedException | DeviceSetupException | IOException
                | UncheckedIOException e) {
            err.println("jvmm: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static void writeStats(java.nio.file.Path path, LinuxVm vm) {
        try {
            ExitStats.write(path, vm);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the exit statistics to -stats " + path + ": " + e.getMessage(), e);
        }
    }

    private static OutputStream console(VmConfig.SerialSpec serial, PrintStream out) throws IOException {
        return switch (serial) {
            case VmConfig.SerialSpec.Stdio s -> new NonClosing(out);
            case VmConfig.SerialSpec.File f -> new FileOutputStream(f.path().toFile());
            case VmConfig.SerialSpec.None n -> OutputStream.nullOutputStream();
        };
    }

    /** Host keyboard to the guest's ttyS0 on a daemon thread; backs off while the UART FIFO is full. */
    private static void forwardInput(InputStream in, LinuxVm vm) {
        Thread.ofPlatform().daemon(true).name("serial-input").start(() -> {
            byte[] buf = new byte[256];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    byte[] rest = Arrays.copyOf(buf, n);
                    while (rest.length > 0) {
                        int taken = vm.platform().serial().offer(rest);
                        rest = Arrays.copyOfRange(rest, taken, rest.length);
                        if (rest.length > 0) {
                            Thread.sleep(1);
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the VM is gone or stdin closed: nothing more to forward
            }
        });
    }

    /** SIGTERM and SIGINT stop the VM cleanly through the control plane (SHUTDOWN, reason host-signal). */
    @SuppressWarnings("restriction")
    private static void installSignalHandlers(VmController control, PrintStream err) {
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                err.println("jvmm: terminating on signal " + signal.getNumber());
                if (!control.hostSignal("SIG" + name)) {
                    System.exit(0); // this run has ended already: nothing left to stop cleanly
                }
            });
        }
    }

    /** Leaves stdout open when the console stream is closed. */
    private static final class NonClosing extends OutputStream {
        private final PrintStream out;

        NonClosing(PrintStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            out.write(b);
            if (b == '\n') {
                out.flush();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            out.write(b, off, len);
            out.flush();
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}
