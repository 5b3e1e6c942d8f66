package dev.jvmm.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.kvm.sys.KvmSystem;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuidFixupsTest {
    private static final List<CpuidEntry> SUPPORTED = List.of(
            new CpuidEntry(0x0, 0, 0, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69),
            new CpuidEntry(0x1, 0, 0, 0x000806f8, 0x07_08_0800, 0x7ffa3203, 0x178bfbff),
            new CpuidEntry(0x4, 0, 1, 0xfc00_4121, 0x01c0003f, 0x3f, 0),
            new CpuidEntry(0xb, 0, 1, 1, 2, 0x100, 9),
            new CpuidEntry(0xb, 1, 1, 7, 64, 0x201, 9),
            new CpuidEntry(0xb, 2, 1, 0, 0, 2, 9),
            new CpuidEntry(0x8000_001e, 0, 0, 9, 0x104, 0, 0));

    private static CpuidEntry leaf(List<CpuidEntry> table, int function, int index) {
        return table.stream().filter(e -> e.function() == function && e.index() == index).findFirst().orElseThrow();
    }

    @Test
    void eachVcpuSeesItsOwnApicIdEverywhereTheGuestLooks() {
        for (int id = 0; id < 4; id++) {
            List<CpuidEntry> t = CpuidFixups.forVcpu(SUPPORTED, id, 4);
            assertEquals(id, leaf(t, 1, 0).ebx() >>> 24, "leaf 1 EBX[31:24]");
            assertEquals(4, (leaf(t, 1, 0).ebx() >>> 16) & 0xff, "leaf 1 logical count");
            assertEquals(0x0800, leaf(t, 1, 0).ebx() & 0xffff, "brand/clflush bits kept");
            assertEquals(id, leaf(t, 0xb, 0).edx());
            assertEquals(id, leaf(t, 0xb, 1).edx());
            assertEquals(id, leaf(t, 0x8000_001e, 0).eax());
        }
    }

    @Test
    void tscDeadlineTimerIsAddedToLeafOneOnly() {
        List<CpuidEntry> t = CpuidFixups.withTscDeadlineTimer(SUPPORTED);
        assertEquals(0x7ffa3203 | (1 << 24), leaf(t, 1, 0).ecx());
        assertEquals(0x178bfbff, leaf(t, 1, 0).edx());
        for (int i = 0; i < SUPPORTED.size(); i++) {
            if (SUPPORTED.get(i).function() != 1) {
                assertEquals(SUPPORTED.get(i), t.get(i));
            }
        }
    }

    @Test
    void topologyIsNSingleThreadedCoresInOnePackage() {
        List<CpuidEntry> t = CpuidFixups.forVcpu(SUPPORTED, 2, 3);
        assertEquals(new CpuidEntry(0xb, 0, 1, 0, 1, 0x100, 2), leaf(t, 0xb, 0));
        assertEquals(new CpuidEntry(0xb, 1, 1, 2, 3, 0x201, 2), leaf(t, 0xb, 1));
        assertEquals(0, leaf(t, 0xb, 2).ebx(), "no level above the package");
        assertEquals(2, leaf(t, 4, 0).eax() >>> 26, "leaf 4 cores per package - 1");
        assertEquals(0x4121, leaf(t, 4, 0).eax() & 0x03ff_ffff, "cache description kept");
    }

    @Test
    void hypervisorBitIsSetAndHttFollowsTheVcpuCount() {
        List<CpuidEntry> one = CpuidFixups.forVcpu(SUPPORTED, 0, 1);
        assertTrue(leaf(one, 1, 0).ecx() < 0, "hypervisor bit 31");
        assertEquals(0, leaf(one, 1, 0).edx() & CpuidFixups.EDX_HTT);
        List<CpuidEntry> two = CpuidFixups.forVcpu(SUPPORTED, 1, 2);
        assertEquals(CpuidFixups.EDX_HTT, leaf(two, 1, 0).edx() & CpuidFixups.EDX_HTT);
        assertEquals(leaf(SUPPORTED, 0, 0), leaf(two, 0, 0), "other leaves untouched");
    }

    @Test
    void badVcpuNumbersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CpuidFixups.forVcpu(SUPPORTED, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> CpuidFixups.forVcpu(SUPPORTED, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> CpuidFixups.forVcpu(SUPPORTED, 0, 256));
    }

    @Test
    void theHostTableAcceptsTheFixedUpLeaves() {
        try (KvmSystem kvm = KvmSystem.open()) {
            List<CpuidEntry> host = kvm.supportedCpuid();
            List<CpuidEntry> fixed = CpuidFixups.forVcpu(host, 1, 2);
            assertEquals(host.size(), fixed.size());
            assertEquals(1, leaf(fixed, 1, 0).ebx() >>> 24);
        }
    }
}
