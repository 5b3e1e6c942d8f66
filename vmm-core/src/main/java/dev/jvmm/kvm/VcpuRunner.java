package dev.jvmm.kvm;

import dev.jvmm.kvm.sys.VcpuFd;
import dev.jvmm.memory.sys.ThreadSignals;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one vCPU on its own platform thread: KVM_RUN in a loop, port-I/O and MMIO exits served in place
 * by the {@link ExitHandler}, everything else ends the loop with a {@link Stop} that says why.
 *
 * <p>Stopping from another thread: {@link #stop()} sets {@code kvm_run.immediate_exit} and sends the kick
 * signal, which is unblocked only inside KVM_RUN. Whether the thread is inside KVM_RUN, about to enter it
 * or serving an exit, it sees the request within one exit (see {@link ThreadSignals}).
 */
public final class VcpuRunner {
    /** Why a vCPU loop ended. */
    public enum Reason {
        /** {@link #stop()} or {@link #requestStopFromVcpu()} was called. */
        STOPPED,
        /** HLT without an in-kernel irqchip: nothing can wake the vCPU. */
        HALTED,
        /** Triple fault. */
        GUEST_SHUTDOWN,
        /** KVM_SYSTEM_EVENT_SHUTDOWN (power off). */
        GUEST_POWEROFF,
        /** KVM_SYSTEM_EVENT_RESET (reboot). */
        GUEST_RESET,
        /** KVM could not go on (entry failure, internal error, unknown exit) or a host call failed. */
        ERROR
    }

    /** How the loop ended, with a human-readable detail for ERROR. */
    public record Stop(Reason reason, String detail, Throwable cause) {
    }

    private final VcpuFd vcpu;
    private final ExitHandler handler;
    private final CompletableFuture<Stop> stopped = new CompletableFuture<>();
    private final CompletableFuture<Long> started = new CompletableFuture<>();
    /** Held while kicking and while completing {@link #stopped}: a kick never targets an exited thread. */
    private final Object kickLock = new Object();
    private volatile boolean stopRequested;
    private volatile Thread thread;

    public VcpuRunner(VcpuFd vcpu, ExitHandler handler) {
        this.vcpu = vcpu;
        this.handler = handler;
    }

    /** Starts the vCPU thread; returns once the thread is ready to be kicked. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("vcpu " + vcpu.id() + " already started");
        }
        vcpu.requestImmediateExit(false);
        thread = Thread.ofPlatform().name("vcpu-" + vcpu.id()).daemon(true).start(this::loop);
        started.join();
    }

    private void loop() {
        Stop result;
        try {
            started.complete(vcpu.prepareThread());
            result = runUntilStop();
        } catch (Throwable t) {
            started.complete(0L);
            result = new Stop(Reason.ERROR, "vcpu " + vcpu.id() + ": " + t.getMessage(), t);
        }
        synchronized (kickLock) {
            // A kick may still be pending (sent while the thread served an exit). Consume it: a thread
            // that exits with a pending signal may have it delivered with the default action (kill).
            ThreadSignals.drainPendingKicks();
            stopped.complete(result);
        }
    }

    private Stop runUntilStop() {
        while (true) {
            if (stopRequested) {
                return new Stop(Reason.STOPPED, "", null);
            }
            VcpuExit exit = vcpu.run(handler);
            if (exit == null) {
                continue;
            }
            switch (exit) {
                case VcpuExit.Interrupted i -> {
                    // A kick: the loop head decides. Anything else that interrupted KVM_RUN: enter again.
                }
                case VcpuExit.Hlt h -> {
                    return new Stop(Reason.HALTED, "", null);
                }
                case VcpuExit.Shutdown s -> {
                    return new Stop(Reason.GUEST_SHUTDOWN, "triple fault at " + ripOrUnknown(), null);
                }
                case VcpuExit.SystemEvent e -> {
                    return switch (e.type()) {
                        case 1 -> new Stop(Reason.GUEST_POWEROFF, "", null);
                        case 2 -> new Stop(Reason.GUEST_RESET, "", null);
                        default -> new Stop(Reason.ERROR, "KVM system event " + e.type(), null);
                    };
                }
                case VcpuExit.FailEntry f -> {
                    return new Stop(Reason.ERROR, String.format(
                            "vcpu %d: KVM_EXIT_FAIL_ENTRY, hardware reason 0x%x", vcpu.id(), f.hardwareReason()), null);
                }
                case VcpuExit.InternalError e -> {
                    return new Stop(Reason.ERROR, String.format("vcpu %d: KVM_EXIT_INTERNAL_ERROR suberror %d at %s",
                            vcpu.id(), e.suberror(), ripOrUnknown()), null);
                }
                case VcpuExit.Unhandled u -> {
                    return new Stop(Reason.ERROR, "vcpu " + vcpu.id() + ": unhandled exit reason " + u.reason(), null);
                }
            }
        }
    }

    private String ripOrUnknown() {
        try {
            return String.format("rip 0x%x", vcpu.getRegs().rip());
        } catch (RuntimeException e) {
            return "unknown rip";
        }
    }

    /** From the vCPU thread itself (a device serving an exit): end the loop after this exit. */
    public void requestStopFromVcpu() {
        stopRequested = true;
    }

    /** From any thread: makes the vCPU leave KVM_RUN and end its loop. Does not wait. */
    public void stop() {
        if (Thread.currentThread() == thread) {
            requestStopFromVcpu();
            return;
        }
        stopRequested = true;
        vcpu.requestImmediateExit(true);
        long pthread = started.getNow(0L);
        synchronized (kickLock) {
            if (pthread != 0L && !stopped.isDone()) {
                ThreadSignals.kick(pthread);
            }
        }
    }

    /** Completes when the loop has ended. */
    public CompletableFuture<Stop> stopped() {
        return stopped;
    }

    /** Waits for the loop to end. */
    public Stop await(long timeout, TimeUnit unit) throws TimeoutException, InterruptedException {
        try {
            return stopped.get(timeout, unit);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    public synchronized boolean isStarted() {
        return thread != null;
    }

    public VcpuFd vcpu() {
        return vcpu;
    }
}
