package dev.jvmm.vfio.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcStatusTest {

    @Test
    void readsLockedMemoryAndCapabilities() {
        ProcStatus s = ProcStatus.parse("Name:\tjava\nVmLck:\t    2048 kB\nVmPin:\t       0 kB\n"
                + "CapEff:\t000001ffffffffff\n");
        assertEquals(2048L * 1024, s.lockedBytes());
        assertTrue(s.hasCapability(14));
        ProcStatus user = ProcStatus.parse("VmLck:\t       0 kB\nCapEff:\t0000000000000000\n");
        assertEquals(0, user.lockedBytes());
        assertFalse(user.hasCapability(14));
    }

    @Test
    void aVmLckLineInAnotherUnitIsRefused() {
        assertThrows(IllegalStateException.class, () -> ProcStatus.parse("VmLck:\t 1 MB\n"));
    }

    /** This process's own file parses; the answer agrees with getrlimit-independent facts. */
    @Test
    void theRunningProcessStatusParses() {
        ProcStatus s = ProcStatus.read(Path.of("/proc/self/status"));
        assertTrue(s.lockedBytes() >= 0);
    }
}
