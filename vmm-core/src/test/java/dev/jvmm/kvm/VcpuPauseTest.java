package dev.jvmm.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.kvm.testing.GuestProgram;
import dev.jvmm.kvm.testing.HostThreads;
import dev.jvmm.kvm.testing.TinyVm;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Pausing and resuming a vCPU that spins in the guest (guest/spin.S: KVM_RUN never returns on its own),
 * from the test thread, on this machine's KVM.
 */
class VcpuPauseTest {

    @Test
    void pausedTwoHundredTimesTheVcpuParksOutsideKvmRunAndResumesEveryTime() throws Exception {
        try (TinyVm vm = TinyVm.create(TinyVm.Mode.LONG, true, "guest/spin.S")) {
            VcpuRunner runner = vm.runner();
            runner.start();
            awaitRunsAbove(runner, 0);
            for (int i = 0; i < 200; i++) {
                runner.pause().get(5, TimeUnit.SECONDS);
                assertTrue(runner.isPaused(), "cycle " + i);
                long runs = runner.runCount();
                HostThreads.awaitSleeping(runner.threadId(), "cycle " + i);
                assertEquals(GuestProgram.LOAD_GPA, runner.vcpu().getRegs().rip(), "cycle " + i + ": still on jmp .");
                Thread.sleep(1);
                assertEquals(runs, runner.runCount(), "cycle " + i + ": no KVM_RUN while paused");

                runner.resume();
                assertFalse(runner.isPaused());
                awaitRunsAbove(runner, runs);
                Thread.sleep(1);
                // The spin guest never exits: one KVM_RUN per resume, two if a kick was left over. More
                // would be a vCPU bouncing on EINTR with immediate_exit still set.
                long after = runner.runCount() - runs;
                assertTrue(after <= 2, "cycle " + i + ": " + after + " KVM_RUN entries after one resume");
            }
            assertFalse(runner.stopped().isDone(), "the vCPU must still be running");
            runner.stop();
            assertEquals(VcpuRunner.Reason.STOPPED, runner.await(5, TimeUnit.SECONDS).reason());
        }
    }

    @Test
    void pausesAndResumesRacingEachOtherNeverStrandTheVcpu() throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("[seed] VcpuPauseTest.pausesAndResumesRacingEachOtherNeverStrandTheVcpu: -Dseed=" + seed);
        Random random = new Random(seed);
        try (TinyVm vm = TinyVm.create(TinyVm.Mode.LONG, true, "guest/spin.S")) {
            VcpuRunner runner = vm.runner();
            runner.start();
            int completed = 0;
            int cancelled = 0;
            for (int i = 0; i < 200; i++) {
                CompletableFuture<Void> pause = runner.pause();
                if (random.nextBoolean()) {
                    Thread.onSpinWait();
                } else {
                    Thread.sleep(0, random.nextInt(200_000));
                }
                runner.resume();
                try {
                    pause.get(5, TimeUnit.SECONDS);
                    completed++;
                } catch (CancellationException e) {
                    cancelled++;
                } catch (ExecutionException e) {
                    throw new AssertionError("seed " + seed + ": pause failed", e);
                }
            }
            System.out.printf("[figure] racing pause/resume: %d parked before the resume, %d resumed first%n",
                    completed, cancelled);
            // Whatever the interleavings, the vCPU runs now: it re-enters KVM_RUN and stays there.
            long runs = runner.runCount();
            Thread.sleep(20);
            assertTrue(runner.runCount() - runs <= 2, "seed " + seed + ": the vCPU bounces on EINTR");
            assertFalse(runner.isPaused(), "seed " + seed);
            runner.pause().get(5, TimeUnit.SECONDS);
            assertEquals(GuestProgram.LOAD_GPA, runner.vcpu().getRegs().rip(), "seed " + seed);
            runner.resume();
            awaitRunsAbove(runner, runner.runCount() - 1);
            runner.stop();
            assertEquals(VcpuRunner.Reason.STOPPED, runner.await(5, TimeUnit.SECONDS).reason(), "seed " + seed);
        }
    }

    @Test
    void aPauseRequestedBeforeStartParksTheThreadBeforeItsFirstRunAndStopEndsAParkedVcpu() throws Exception {
        try (TinyVm vm = TinyVm.create(TinyVm.Mode.LONG, true, "guest/spin.S")) {
            VcpuRunner runner = vm.runner();
            CompletableFuture<Void> pause = runner.pause();
            assertFalse(pause.isDone());
            runner.start();
            pause.get(5, TimeUnit.SECONDS);
            assertEquals(0, runner.runCount(), "parked before the first KVM_RUN");
            assertTrue(runner.threadId() > 0);
            assertTrue(runner.pause().isDone(), "pausing a paused vCPU completes at once");
            runner.stop();
            assertEquals(VcpuRunner.Reason.STOPPED, runner.await(5, TimeUnit.SECONDS).reason());
            assertEquals(0, runner.runCount());
            assertTrue(runner.pause().isDone(), "a vCPU whose loop ended is outside KVM_RUN for good");
        }
    }

    private static void awaitRunsAbove(VcpuRunner runner, long runs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (runner.runCount() <= runs) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the vCPU did not enter KVM_RUN again within 5 s (run count " + runs + ")");
            }
            Thread.sleep(0, 100_000);
        }
    }
}
