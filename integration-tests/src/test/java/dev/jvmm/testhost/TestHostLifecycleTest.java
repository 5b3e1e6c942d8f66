package dev.jvmm.testhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Commands in L1 see the host's root (its QEMU and JDK), report their output and status, time out, and
 * no container outlives its host. Code that one thread in L1 rewrites is what another runs next, as on
 * x86 hardware (see {@link L1Machine}).
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

    /**
     * cross-modify.c: one thread rewrites a function that another calls in a loop. On hardware each of its
     * two versions answers about half of the calls; in an L1 with two vCPUs, QEMU 7.2's multi-threaded TCG
     * answered 205 of 1.2 billion calls with the newer one in 20 s. Each must answer at least a tenth here,
     * and nothing else may answer.
     */
    @Test
    void codeOneThreadRewritesIsWhatAnotherRunsNext() throws Exception {
        try (TestHost host = TestHost.start("cross-modify", SMALL)) {
            Path source = host.runDir().resolve("cross-modify.c");
            try (InputStream in = TestHostLifecycleTest.class.getResourceAsStream("cross-modify.c")) {
                Files.copy(in, source);
            }
            Process gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-pthread", "-o",
                    host.runDir().resolve("cross-modify").toString(), source.toString()).inheritIO().start();
            assertEquals(0, gcc.waitFor(), "gcc could not build the probe; .ci/run installs gcc");

            ExecResult run = host.exec(L1Machine.L1_RUN + "/cross-modify 10 1", Duration.ofSeconds(60))
                    .requireSuccess();
            Matcher m = Pattern.compile("CROSS-MODIFY calls=(\\d+) first=(\\d+) second=(\\d+) other=(\\d+) writes=(\\d+)")
                    .matcher(run.output());
            assertTrue(m.find(), run.output());
            long calls = Long.parseLong(m.group(1));
            long first = Long.parseLong(m.group(2));
            long second = Long.parseLong(m.group(3));
            assertEquals(0, Long.parseLong(m.group(4)), "calls that ran a torn mix of both versions: " + run.output());
            assertTrue(Long.parseLong(m.group(5)) > 1000, "the writer hardly ran: " + run.output());
            assertTrue(first >= calls / 10 && second >= calls / 10,
                    "one version answered almost every call, so L1 ran stale code: " + run.output());
        }
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
