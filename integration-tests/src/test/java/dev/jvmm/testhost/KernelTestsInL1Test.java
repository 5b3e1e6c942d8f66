package dev.jvmm.testhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs device-assign's in-process kernel tests ({@code dev.jvmm.vfio.sys.SysVfioKernelL1Test}: attach every
 * vfio-pci device to a KVM VM, check it through VFIO, release it, and find no descriptor, group or DMA
 * mapping left behind) where they need to run: in L1, after the NVMe and the edu device are bound to
 * vfio-pci. Maven does not run in L1, so JUnit's console launcher runs them there on device-assign's test
 * class path (target/test-classpath.txt, written at test-compile), which L1 sees through the host root.
 */
@Tag("l1")
class KernelTestsInL1Test {
    private static final String KERNEL_TEST = "dev.jvmm.vfio.sys.SysVfioKernelL1Test";

    @Test
    void deviceAssignsKernelTestsPassInL1() throws IOException {
        Path module = Path.of(JvmmL2Vmm.ofThisProject().root().toString(), "device-assign", "target");
        Path classpathFile = module.resolve("test-classpath.txt");
        assertTrue(Files.exists(classpathFile), classpathFile + " is missing: build device-assign's tests first"
                + " (bin/mvn -pl integration-tests -am verify does)");
        String classpath = module.resolve("test-classes") + ":" + module.resolve("classes") + ":"
                + Files.readString(classpathFile).strip();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        try (TestHost host = TestHost.start("kernel-tests", TestHostOptions.defaults())) {
            host.bindToVfio(EmulatedDevice.NVME);
            host.bindToVfio(EmulatedDevice.EDU);
            ExecResult run = host.exec(java + " --enable-native-access=ALL-UNNAMED -cp " + classpath
                    + " org.junit.platform.console.ConsoleLauncher execute --disable-banner --disable-ansi-colors"
                    + " --fail-if-no-tests --details=tree --select-class=" + KERNEL_TEST, Duration.ofMinutes(10));

            assertEquals(0, run.exitCode(), KERNEL_TEST + " failed in L1:\n" + Text.tail(run.output(), 60));
            assertTrue(run.output().contains("1 tests successful"), run.output());
            assertTrue(run.output().contains("0 tests failed"), run.output());
        }
    }
}
