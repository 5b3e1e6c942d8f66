package dev.jvmm.kvm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.kvm.sys.VmFd;
import dev.jvmm.kvm.testing.TinyVm;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** KVM_GET_CLOCK / KVM_SET_CLOCK on this machine's KVM: the kvmclock follows host time until it is set. */
class VmClockTest {

    @Test
    void theClockFollowsHostTimeAndContinuesFromTheValueSet() throws Exception {
        try (TinyVm vm = TinyVm.create(TinyVm.Mode.LONG, true, "guest/spin.S")) {
            VmFd fd = vm.vm().fd();
            long t0 = System.nanoTime();
            long before = fd.getClock();
            Thread.sleep(100);
            long after = fd.getClock();
            long hostElapsed = System.nanoTime() - t0;
            assertTrue(after - before >= TimeUnit.MILLISECONDS.toNanos(100) && after - before <= hostElapsed,
                    "the clock advanced " + (after - before) + " ns in " + hostElapsed + " ns of host time");

            fd.setClock(before);
            long set = fd.getClock();
            assertTrue(set >= before && set - before < TimeUnit.MILLISECONDS.toNanos(50),
                    "after KVM_SET_CLOCK(" + before + ") the clock reads " + set + ": the 100 ms were not taken back");
        }
    }
}
