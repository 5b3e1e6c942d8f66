package dev.jvmm.testhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Commands in L1 see the host's root (its QEMU and JDK), report their output and status, time out, and
 * no container outlives its host.
 */
@Tag("l1")
class TestHostLifecycleTest {
    private static final TestHostOptions SMALL = TestHostOptions.defaults().withDevices(EmulatedDevice.EDU)
            .withMemoryMib(1024);

    @Test
    void commandsRunInTheHostRootAndTheContainerGoesWithClose() {
        TestHost host = TestHost.start("lifecycle", SMALL);
        try (host) {
            ExecResult hello = host.exec("echo hello from $(uname -r); test -x /usr/bin/qemu-system-x86_64", Duration.ofSeconds(30));
            assertEquals(0, hello.exitCode(), hello.output());
            assertTrue(hello.output().startsWith("hello from 6.1."), hello.output());

            assertEquals(3, host.exec("echo failing >&2; exit 3", Duration.ofSeconds(30)).exitCode());

            long start = System.nanoTime();
            ExecResult slow = host.exec("sleep 120", Duration.ofSeconds(3));
            assertTrue(slow.timedOut(), "exit status " + slow.exitCode() + " after the timeout: " + slow.output());
            assertFalse(host.exec("true", Duration.ofSeconds(30)).timedOut());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(60).toNanos(), "L1 did not stop the command at its timeout");

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ExecResult version = host.exec(java + " -version", Duration.ofSeconds(60));
            assertEquals(0, version.exitCode(), "the JDK running this test does not run in L1:\n" + version.output());
            assertTrue(version.output().contains("version \"" + Runtime.version().feature()), version.output());

            assertTrue(host.exec("test -c /dev/kvm", Duration.ofSeconds(30)).exitCode() == 0,
                    "L1 has no /dev/kvm: nested SVM did not come up\n" + host.consoleTail(20));
        }
        assertEquals(List.of(), host.containersLeft());
    }

    @Test
    void aFailureInsideTheTryStillRemovesTheContainer() {
        TestHost[] started = new TestHost[1];
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
            try (TestHost host = TestHost.start("lifecycle-failing", SMALL)) {
                started[0] = host;
                host.exec("true", Duration.ofSeconds(30)).requireSuccess();
                throw new IllegalStateException("a test failing while L1 runs");
            }
        });
        assertEquals("a test failing while L1 runs", thrown.getMessage());
        assertEquals(List.of(), started[0].containersLeft());
        assertThrows(IllegalStateException.class, () -> started[0].exec("true", Duration.ofSeconds(5)));
    }
}
