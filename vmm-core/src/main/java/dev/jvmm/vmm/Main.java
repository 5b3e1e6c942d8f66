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
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code bin/vmm}: boots the VM the command line describes, restarts it when the guest reboots (unless
 * {@code -no-reboot}) and exits when it powers off.
 *
 * <p>Exit codes: 0 the guest powered off (or rebooted with {@code -no-reboot}, or SIGTERM/SIGINT stopped
 * it cleanly); 1 the VM failed (the message says why); 2 bad command line or input files. Errors are one
 * line on stderr, never a stack trace.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.in));
    }

    static int run(String[] args, PrintStream out, PrintStream err, InputStream in) {
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
        AtomicReference<LinuxVm> running = new AtomicReference<>();
        installSignalHandlers(running, err);
        try (OutputStream console = console(config.serial(), out)) {
            while (true) {
                LinuxVm.Exit exit;
                try (LinuxVm vm = LinuxVm.create(config, console)) {
                    running.set(vm);
                    if (config.serial() instanceof VmConfig.SerialSpec.Stdio) {
                        forwardInput(in, vm);
                    }
                    exit = vm.run();
                } finally {
                    running.set(null);
                }
                switch (exit.outcome()) {
                    case POWER_OFF, HOST_STOP -> {
                        return 0;
                    }
                    case RESET -> {
                        if (config.noReboot()) {
                            return 0;
                        }
                        err.println("jvmm: guest reset" + (exit.detail().isEmpty() ? "" : " (" + exit.detail() + ")")
                                + ", restarting");
                    }
                    case ERROR -> {
                        err.println("jvmm: VM stopped: " + exit.detail());
                        return 1;
                    }
                }
            }
        } catch (ConfigException | KernelImageException | BootSetupException e) {
            err.println("jvmm: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("jvmm: " + e.getMessage());
            return 2;
        } catch (ErrnoException | KvmUnsupportedException | IOException e) {
            err.println("jvmm: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
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

    @SuppressWarnings("restriction")
    private static void installSignalHandlers(AtomicReference<LinuxVm> running, PrintStream err) {
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                err.println("jvmm: terminating on signal " + signal.getNumber());
                LinuxVm vm = running.get();
                if (vm != null) {
                    vm.hostStop("SIG" + name);
                } else {
                    System.exit(0);
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
