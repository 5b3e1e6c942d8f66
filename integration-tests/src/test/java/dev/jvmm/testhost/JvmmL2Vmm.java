package dev.jvmm.testhost;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * jvmm itself in L1: the project's {@code bin/vmm} launcher, seen through L1's 9p view of the host root
 * at the same path as on the host, on L1's KVM.
 *
 * <p>L1's root is read-only, so the launcher must not build there: it runs with {@code JVMM_NO_BUILD=1},
 * which takes the jars as they are and fails with a one-line message when one is missing. The jars are
 * built before the l1 tests run: integration-tests comes after the other modules in the reactor
 * ({@code bin/mvn -pl integration-tests -am verify} packages them first).
 *
 * @param root      the project's root directory (holding {@code bin/vmm}), on the host and in L1
 * @param javaOpts  extra JVM options for the launcher ({@code JVMM_JAVA_OPTS}), empty for none
 * @param vmmArgs   extra {@code bin/vmm} options ({@code -stats PATH}), placed before {@code -kernel}; empty for none
 * @param noReboot  whether a reset ends the VMM ({@code -no-reboot}, as for QEMU): true unless a test resets
 *                  the guest and wants it back
 */
public record JvmmL2Vmm(Path root, String javaOpts, String vmmArgs, boolean noReboot) implements L2Vmm {

    /**
     * The project this test runs from ({@code jvmm.root}, set by integration-tests' pom); a JVM that
     * crashes leaves its hs_err file in the run directory.
     */
    public static JvmmL2Vmm ofThisProject() {
        String configured = System.getProperty("jvmm.root");
        if (configured == null) {
            throw new TestHostException("system property jvmm.root is not set: run through integration-tests' pom"
                    + " (bin/mvn -pl integration-tests ...) or pass -Djvmm.root=/path/to/the/project");
        }
        Path root = Path.of(configured).toAbsolutePath().normalize();
        if (!Files.isExecutable(root.resolve("bin/vmm"))) {
            throw new TestHostException("jvmm.root=" + root + " has no executable bin/vmm");
        }
        return new JvmmL2Vmm(root, "-XX:ErrorFile=" + L1Machine.L1_RUN + "/hs_err_pid%p.log", "", true);
    }

    /** The same VMM with {@code more} JVM options after the ones it has. */
    public JvmmL2Vmm withMoreJavaOpts(String more) {
        return new JvmmL2Vmm(root, (javaOpts + " " + more).strip(), vmmArgs, noReboot);
    }

    /** The same VMM with {@code more} {@code bin/vmm} options after the ones it has. */
    public JvmmL2Vmm withMoreVmmArgs(String more) {
        return new JvmmL2Vmm(root, javaOpts, (vmmArgs + " " + more).strip(), noReboot);
    }

    /** The same VMM without {@code -no-reboot}: a guest or QMP reset starts the guest again. */
    public JvmmL2Vmm rebooting() {
        return new JvmmL2Vmm(root, javaOpts, vmmArgs, false);
    }

    @Override
    public String name() {
        return "jvmm";
    }

    @Override
    public String command(L2Launch launch) {
        StringBuilder cmd = new StringBuilder("JVMM_NO_BUILD=1");
        if (!javaOpts.isBlank()) {
            cmd.append(" JVMM_JAVA_OPTS='").append(javaOpts).append("'");
        }
        cmd.append(" ").append(root.resolve("bin/vmm"))
                .append(" -smp ").append(launch.vcpus())
                .append(" -m ").append(launch.memoryMib())
                .append(noReboot ? " -no-reboot" : "")
                .append(" -serial file:").append(launch.consoleLog())
                .append(launch.qmpOption());
        launch.device().ifPresent(d -> cmd.append(" -device vfio-pci,host=").append(d));
        if (!vmmArgs.isBlank()) {
            cmd.append(" ").append(vmmArgs);
        }
        cmd.append(" -kernel ").append(launch.kernel())
                .append(" -initrd ").append(launch.initrd())
                .append(" -append '").append(launch.kernelCmdline()).append("'");
        // A failing VMM's status stands; L1's kernel log may say why (KVM, SVM or memory trouble in L1).
        cmd.append("\nrc=$?\nif [ $rc -ne 0 ]; then echo '--- L1 dmesg tail ---'; dmesg | tail -n 15; fi\nexit $rc\n");
        return cmd.toString();
    }
}
