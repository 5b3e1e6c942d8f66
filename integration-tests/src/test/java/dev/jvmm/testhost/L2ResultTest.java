package dev.jvmm.testhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the L2 console: markers found, escapes removed, failures explained with the console tail. */
class L2ResultTest {
    private static final ExecResult VMM_OK = new ExecResult("qemu ...", 0, "", false);

    @Test
    void passLineGivesFactsAndIrqLines() {
        String console = "\u001bc\u001b[?7l\u001b[2JSeaBIOS (version 1.16.2)\r\n"
                + "JVMM-L2 START test=nvme-rw kernel=6.1.0 uptime=6.6\n"
                + "JVMM-L2 IRQ 24:         10   PCI-MSI 32768-edge      nvme0q0\n"
                + "JVMM-L2 IRQ 25:         28   PCI-MSI 32769-edge      nvme0q1\n"
                + "JVMM-L2 RESULT nvme-rw PASS bdf=0000:00:02.0 driver=nvme bytes=8388608 msix_irqs=38\n"
                + "[   12.1] reboot: Power down\n";

        L2Result result = L2Result.parse(L2Test.NVME_RW, console, VMM_OK).assertPassed();

        assertEquals(Map.of("bdf", "0000:00:02.0", "driver", "nvme", "bytes", "8388608", "msix_irqs", "38"),
                result.facts());
        assertEquals(38, result.fact("msix_irqs"));
        assertEquals(List.of("24:         10   PCI-MSI 32768-edge      nvme0q0",
                "25:         28   PCI-MSI 32769-edge      nvme0q1"), result.irqs());
        assertFalse(result.console().contains("\u001b"), result.console());
        assertTrue(result.console().startsWith("SeaBIOS"), result.console());
    }

    @Test
    void markersFollowingAByteThatIsNoUtf8AreFound() {
        // Linux 6.12's 8250 IRQ probe writes 0xFF to the line just before init prints.
        String console = "[    4.5] kvm_intel: VMX not supported by CPU 0\n\ufffdJVMM-L2 START test=boot uptime=6.8\n"
                + "JVMM-L2 NPROC 2\nJVMM-L2 E820 0x0 0x9fbff System RAM\nJVMM-L2 RESULT boot PASS nproc=2\n";

        L2Result result = L2Result.parse(L2Test.BOOT, console, VMM_OK).assertPassed();

        assertEquals(List.of("test=boot uptime=6.8"), result.markers("START"));
        assertEquals(List.of("2"), result.markers("NPROC"));
        assertEquals(List.of("0x0 0x9fbff System RAM"), result.markers("E820"));
    }

    @Test
    void failLineFailsWithReasonVmmOutputAndConsoleTail() {
        StringBuilder console = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            console.append("[ ").append(i).append("] boot noise line ").append(i).append('\n');
        }
        console.append("JVMM-L2 RESULT nvme-rw FAIL no /dev/nvme0n1 30 s after modprobe nvme\n");
        ExecResult vmm = new ExecResult("qemu ...", 1, "qemu: vfio: error getting device from group 2\n", false);

        L2Result result = L2Result.parse(L2Test.NVME_RW, console.toString(), vmm);
        AssertionError failure = assertThrows(AssertionError.class, result::assertPassed);

        String message = failure.getMessage();
        assertTrue(message.startsWith("L2 check nvme-rw did not pass: no /dev/nvme0n1 30 s after modprobe nvme"), message);
        assertTrue(message.contains("(exit status 1)") && message.contains("error getting device from group 2"), message);
        assertTrue(message.contains("--- L2 console tail ---\n... (61 earlier lines)\n[ 61] boot noise line 61"), message);
        assertFalse(message.contains("boot noise line 60\n"), "the tail holds more than 40 lines");
    }

    @Test
    void silentGuestAndWrongCheckAreFailures() {
        L2Result silent = L2Result.parse(L2Test.EDU, "", VMM_OK);
        assertFalse(silent.passed());
        assertTrue(silent.failureReport().contains("the guest printed no JVMM-L2 RESULT line"), silent.failureReport());
        assertTrue(silent.failureReport().contains("--- L2 console tail ---\n(empty)"), silent.failureReport());

        L2Result other = L2Result.parse(L2Test.EDU, "JVMM-L2 RESULT boot PASS uptime=3.2\n", VMM_OK);
        assertFalse(other.passed(), "a PASS of another check must not count");
        assertTrue(other.detail().contains("ran check 'boot', not 'edu'"), other.detail());
    }

    @Test
    void missingFactNamesTheLine() {
        L2Result result = L2Result.parse(L2Test.BOOT, "JVMM-L2 RESULT boot PASS uptime=3.2\n", VMM_OK);
        AssertionError failure = assertThrows(AssertionError.class, () -> result.fact("bytes"));
        assertTrue(failure.getMessage().contains("no bytes= in: uptime=3.2"), failure.getMessage());
    }
}
