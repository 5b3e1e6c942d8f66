package dev.jvmm.testhost;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.IsRunningStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.containers.wait.strategy.WaitStrategyTarget;
import org.testcontainers.utility.DockerImageName;

/**
 * One running L1: a container with QEMU (TCG) booting the chosen kernel and the agent initramfs.
 *
 * <pre>{@code
 * try (TestHost host = TestHost.start("nvme", TestHostOptions.defaults())) {
 *     VfioBinding nvme = host.bindToVfio(EmulatedDevice.NVME);
 *     host.runL2(new QemuL2Vmm(), L2Test.NVME_RW, Optional.of(nvme.device()), Duration.ofMinutes(5))
 *         .assertPassed();
 * }
 * }</pre>
 *
 * Commands run one at a time, in order, as root, chrooted into the host's root (see package doc).
 * {@link #close()} always removes the container.
 */
public final class TestHost implements AutoCloseable {
    /** Label on every test-host container; its value is the run id (the run directory's name). */
    public static final String LABEL = "dev.jvmm.testhost";
    public static final int DEFAULT_L2_MEMORY_MIB = 512;
    /** Added to a command's own timeout: L1's agent kills at the timeout, then needs a moment to report. */
    private static final Duration EXEC_GRACE = Duration.ofSeconds(30);
    private static final Duration POWEROFF_WAIT = Duration.ofSeconds(15);
    private static final long NVME_BYTES = 256L << 20;
    private static final Set<TestHost> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(TestHost::close), "testhost-cleanup"));
    }

    private final TestHostOptions options;
    private final TestHostImages images;
    private final Path runDir;
    private final Console console;
    private final GenericContainer<?> container;
    private int commands;
    private int l2Runs;
    private volatile boolean closed;

    private TestHost(TestHostOptions options, TestHostImages images, Path runDir) {
        this.options = options;
        this.images = images;
        this.runDir = runDir;
        this.console = new Console(runDir.resolve("l1-console.log"));
        this.container = new GenericContainer<>(DockerImageName.parse(images.containerImage()))
                .withCommand(L1Machine.command(options, images.l1Kernel(), images.l1Initrd()).toArray(String[]::new))
                // Binds go straight into the create command: withFileSystemBind makes Testcontainers
                // probe file mounting with an alpine container, and no registry is reachable here.
                .withCreateContainerCmdModifier(create -> create.getHostConfig().withBinds(
                        new Bind("/", new Volume(L1Machine.CONTAINER_HOST_ROOT), AccessMode.ro),
                        new Bind(runDir.toString(), new Volume(L1Machine.CONTAINER_RUN), AccessMode.rw)))
                .withLabel(LABEL, runDir.getFileName().toString())
                .withLogConsumer(frame -> console.append(frame.getUtf8String()))
                .withStartupCheckStrategy(new IsRunningStartupCheckStrategy())
                .waitingFor(new AgentWaitsItself());
    }

    /**
     * Builds or finds the images, starts the container and waits for L1's agent.
     *
     * @param name names the run directory ({@code target/testhost/NAME-TIMESTAMP}), keep it short
     */
    public static TestHost start(String name, TestHostOptions options) {
        TestHostImages images = TestHostImages.forKernel(options.kernel());
        TestHost host = new TestHost(options, images, newRunDir(name, options));
        OPEN.add(host);
        try {
            host.boot();
            return host;
        } catch (RuntimeException | Error e) {
            host.close();
            throw e;
        }
    }

    private static Path newRunDir(String name, TestHostOptions options) {
        Path base = Path.of(System.getProperty("jvmm.testhost.dir", "target/testhost")).toAbsolutePath();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        Path dir = base.resolve(name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + stamp);
        try {
            Files.createDirectories(dir.resolve("cmd"));
            if (options.devices().contains(EmulatedDevice.NVME)) {
                try (var disk = new RandomAccessFile(dir.resolve("nvme.img").toFile(), "rw")) {
                    disk.setLength(NVME_BYTES); // sparse: costs no disk until the guest writes
                }
            }
        } catch (IOException e) {
            throw new TestHostException("cannot prepare the run directory " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    private void boot() {
        try {
            container.start();
        } catch (RuntimeException e) {
            throw new TestHostException("the test-host container (" + images.containerImage() + ") did not start: "
                    + e.getMessage() + "\n--- L1 console tail ---\n" + console.tail(30), e);
        }
        boolean ready;
        try {
            ready = console.await("JVMM-L1 READY", options.bootTimeout().toMillis(), container::isRunning);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestHostException("interrupted while L1 boots", e);
        }
        if (!ready) {
            throw new TestHostException("L1 (" + options.kernel() + ", " + options.iommu() + ") did not reach its agent"
                    + (container.isRunning() ? " within " + options.bootTimeout().toSeconds() + " s" : "; QEMU exited")
                    + "\n--- L1 console tail ---\n" + console.tail(40));
        }
    }

    /**
     * Runs {@code script} with /bin/sh in L1 and waits for it. L1 stops it after {@code timeout}
     * ({@link ExecResult#timedOut()}); a missing exit status {@link #EXEC_GRACE} later, or L1 stopping, throws
     * with the L1 console tail.
     */
    public synchronized ExecResult exec(String script, Duration timeout) {
        if (closed) {
            throw new IllegalStateException("this test host is closed");
        }
        int n = ++commands;
        Path dir = runDir.resolve("cmd");
        Path rc = dir.resolve(n + ".rc");
        try {
            Files.writeString(dir.resolve(n + ".timeout"), Long.toString(Math.max(1, timeout.toSeconds())));
            Path tmp = dir.resolve(n + ".sh.tmp");
            Files.writeString(tmp, script);
            Files.move(tmp, dir.resolve(n + ".sh"), StandardCopyOption.ATOMIC_MOVE);
            long started = System.nanoTime();
            long deadline = started + timeout.plus(EXEC_GRACE).toNanos();
            long nextAliveCheck = System.nanoTime() + 2_000_000_000L;
            while (!Files.exists(rc)) {
                long now = System.nanoTime();
                if (now > deadline) {
                    throw new TestHostException("L1 gave no exit status for command " + n + " within "
                            + timeout.plus(EXEC_GRACE).toSeconds() + " s\n--- script ---\n" + script.strip()
                            + "\n--- L1 console tail ---\n" + console.tail(30));
                }
                if (now > nextAliveCheck) {
                    if (!container.isRunning()) {
                        throw new TestHostException("L1 stopped while running command " + n + "\n--- script ---\n"
                                + script.strip() + "\n--- L1 console tail ---\n" + console.tail(40));
                    }
                    nextAliveCheck = now + 2_000_000_000L;
                }
                Thread.sleep(100);
            }
            int code = Integer.parseInt(Files.readString(rc).strip());
            boolean timedOut = ExecResult.timeoutStatus(code) && System.nanoTime() - started >= timeout.toNanos();
            return new ExecResult(script, code, read(dir.resolve(n + ".out")), timedOut);
        } catch (IOException e) {
            throw new UncheckedIOException("command " + n + " in run directory " + runDir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestHostException("interrupted while L1 runs command " + n, e);
        }
    }

    /** Unbinds {@code device}'s current L1 driver and binds it to vfio-pci; describes what appeared. */
    public VfioBinding bindToVfio(EmulatedDevice device) {
        if (!options.devices().contains(device)) {
            throw new IllegalArgumentException(device + " is not among this L1's devices " + options.devices()
                    + "; add it with TestHostOptions.withDevices");
        }
        return VfioBinding.parse(exec(VfioBinding.script(device), Duration.ofSeconds(60)).requireSuccess().output());
    }

    /**
     * Boots one L2 guest with {@code vmm} in L1, running the initramfs check {@code test}, with
     * {@code device} (already bound to vfio-pci) assigned if present. Does not assert: see
     * {@link L2Result#assertPassed()}.
     */
    public L2Result runL2(L2Vmm vmm, L2Test test, Optional<PciAddress> device, Duration timeout) {
        return runL2(vmm, test, l2Launch(test, device), timeout);
    }

    /**
     * The launch {@link #runL2(L2Vmm, L2Test, Optional, Duration)} uses: the stock L2 kernel and the L2
     * initramfs, {@value #DEFAULT_L2_MEMORY_MIB} MiB, one vCPU, a quiet console. Its console log is named
     * by {@link #runL2(L2Vmm, L2Test, L2Launch, Duration)}.
     */
    public L2Launch l2Launch(L2Test test, Optional<PciAddress> device) {
        return new L2Launch(images.l2Kernel(), images.l2Initrd(), "console=ttyS0 panic=-1 quiet jvmm.test=" + test.param(),
                device, "", DEFAULT_L2_MEMORY_MIB, 1, Optional.empty());
    }

    /** Boots {@code launch} with {@code vmm} in L1, its console in a new log of the run directory. */
    public L2Result runL2(L2Vmm vmm, L2Test test, L2Launch launch, Duration timeout) {
        String log = newL2Log(vmm, test.param());
        ExecResult run = exec(vmm.command(launch.withConsoleLog(L1Machine.L1_RUN + "/" + log)), timeout);
        return L2Result.parse(test, readRunFile(log), run);
    }

    /**
     * Boots an L2 guest with {@code vmm} serving QMP on a socket in L1 and drives it with {@link QmpScript}
     * (in L1, on this JVM's JDK and test classes) through {@code steps}; returns once both have ended.
     */
    public QmpRun runL2WithQmp(L2Vmm vmm, L2Test test, List<String> steps, Duration timeout) {
        return runL2WithQmp(vmm, test, l2Launch(test, Optional.empty()), steps, timeout);
    }

    /** As {@link #runL2WithQmp(L2Vmm, L2Test, List, Duration)}, booting {@code launch} (its console log and QMP socket are set here). */
    public QmpRun runL2WithQmp(L2Vmm vmm, L2Test test, L2Launch l2, List<String> steps, Duration timeout) {
        String log = newL2Log(vmm, test.param());
        String base = log.substring(0, log.length() - ".log".length());
        String socket = "/tmp/" + base + ".qmp";
        L2Launch launch = l2.withConsoleLog(L1Machine.L1_RUN + "/" + log).withQmpSocket(socket);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classes;
        try {
            classes = Path.of(QmpScript.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder script = new StringBuilder()
                .append("( ").append(vmm.command(launch)).append(" ) > ").append(L1Machine.L1_RUN).append('/')
                .append(base).append(".vmm 2>&1 &\nvmm=$!\n")
                .append(java).append(" -XX:TieredStopAtLevel=1 -cp ").append(classes).append(' ')
                .append(QmpScript.class.getName()).append(' ').append(socket).append(' ')
                .append(L1Machine.L1_RUN).append('/').append(log);
        steps.forEach(step -> script.append(" '").append(step.replace("'", "'\\''")).append('\''));
        script.append(" > ").append(L1Machine.L1_RUN).append('/').append(base).append(".qmp.txt 2>&1\n")
                .append("script=$?\n")
                // A failed script leaves the guest running: stop its VMM (SIGTERM to the subshell's children
                // and to the subshell, which may be the VMM itself after an exec) rather than wait for it.
                .append("[ $script -eq 0 ] || { pkill -TERM -P $vmm; kill $vmm; } 2>/dev/null\n")
                .append("wait $vmm\nrc=$?\n")
                .append("echo \"qmp-script=$script vmm=$rc\"\n")
                .append("cat ").append(L1Machine.L1_RUN).append('/').append(base).append(".vmm\n")
                .append("exit $rc\n");
        ExecResult run = exec(script.toString(), timeout);
        return new QmpRun(L2Result.parse(test, readRunFile(log), run),
                QmpTranscript.parse(readRunFile(base + ".qmp.txt")), run);
    }

    /** A file of the run directory (L1's {@code /run/jvmm/out}), or "" when it is not there. */
    private String readRunFile(String name) {
        Path file = runDir.resolve(name);
        try {
            return Files.exists(file) ? read(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** A fresh console log name in the run directory ({@code l2-N-VMM-WHAT.log}), for {@link L2Launch#consoleLog()}. */
    public synchronized String newL2Log(L2Vmm vmm, String what) {
        return "l2-" + (++l2Runs) + "-" + vmm.name() + "-" + what + ".log";
    }

    /** The images this host was started with (L2 kernel and initramfs among them). */
    public TestHostImages images() {
        return images;
    }

    /** The last {@code lines} lines of L1's serial console. */
    public String consoleTail(int lines) {
        return console.tail(lines);
    }

    /** This run's directory on the host: console logs, commands and their output stay there. */
    public Path runDir() {
        return runDir;
    }

    public TestHostOptions options() {
        return options;
    }

    /** Ids of docker containers, running or not, that carry this run's label. */
    public List<String> containersLeft() {
        return DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(LABEL, runDir.getFileName().toString())).exec().stream()
                .map(c -> c.getId()).toList();
    }

    /** Asks L1 to power off, then removes the container whatever happened. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (container.getContainerId() != null && container.isRunning()) {
                Files.writeString(runDir.resolve("cmd/poweroff"), "");
                console.await("JVMM-L1 POWEROFF", POWEROFF_WAIT.toMillis(), container::isRunning);
            }
        } catch (IOException | RuntimeException e) {
            // the container goes below regardless
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            container.stop();
            OPEN.remove(this);
            try {
                Files.deleteIfExists(runDir.resolve("nvme.img"));
            } catch (IOException ignored) {
                // a leftover sparse file in target/ harms nothing
            }
        }
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    /** Startup is judged by {@link #boot()} from the console, with the console tail on failure. */
    private static final class AgentWaitsItself implements WaitStrategy {
        @Override
        public void waitUntilReady(WaitStrategyTarget target) {
        }

        @Override
        public WaitStrategy withStartupTimeout(Duration timeout) {
            return this;
        }
    }
}
