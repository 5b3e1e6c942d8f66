package dev.jvmm.kvm;

import dev.jvmm.kvm.sys.KvmExit;
import dev.jvmm.kvm.sys.VcpuFd;
import dev.jvmm.memory.sys.Posix;
import dev.jvmm.memory.sys.ThreadSignals;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one vCPU on its own platform thread: KVM_RUN in a loop, port-I/O and MMIO exits served in place
 * by the {@link ExitHandler}, everything else ends the loop with a {@link Stop} that says why.
 *
 * <p>Stopping from another thread: {@link #stop()} sets {@code kvm_run.immediate_exit} and sends the kick
 * signal, which is unblocked only inside KVM_RUN. Whether the thread is inside KVM_RUN, about to enter it
 * or serving an exit, it sees the request within one exit (see {@link ThreadSignals}).
 *
 * <p>Pausing uses the same path: {@link #pause()} sets immediate_exit and kicks, and the thread parks at
 * its loop head, outside KVM_RUN, until {@link #resume()} (or {@link #stop()}). Invariants, all kept under
 * one lock ({@code parkLock}): immediate_exit is set whenever a pause or stop is requested, and cleared
 * only by {@link #resume()} when no stop is requested, so a resumed vCPU never meets a stale
 * immediate_exit (which would make every KVM_RUN fail with EINTR: a spinning vCPU); a kick that is still
 * pending after a resume costs at most one EINTR, which {@link VcpuFd#run} consumes; the parked thread
 * waits on the lock's condition and re-checks the request after every wake-up, so a resume can never be
 * missed. A paused vCPU thread is blocked, not spinning: {@link #runCount()} does not move.
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
    /** Guards the pause state below and orders immediate_exit writes with it. */
    private final Object parkLock = new Object();
    private boolean pauseRequested;
    /** The thread is at its loop head, outside KVM_RUN, and will not enter it while a pause is requested. */
    private boolean parked;
    /** The loop has ended: the thread will never enter KVM_RUN again. */
    private boolean loopEnded;
    /** What {@link #pause()} handed out and the thread completes once parked; null when none is pending. */
    private CompletableFuture<Void> pendingPause;
    /** Exits by {@code kvm_run.exit_reason}; the last slot counts KVM_RUN calls that returned an error (kicks). */
    private final AtomicLongArray exits = new AtomicLongArray(KvmExit.KVM_EXIT_NOTIFY + 2);
    /** KVM_RUN calls made; written by the vCPU thread only. */
    private volatile long runs;
    /** When the first KVM_RUN was entered (epoch milliseconds), 0 before; written by the vCPU thread only. */
    private volatile long firstRunMillis;
    /** The vCPU thread's kernel thread ID, 0 before it started. */
    private volatile int tid;

    public VcpuRunner(VcpuFd vcpu, ExitHandler handler) {
        this.vcpu = vcpu;
        this.handler = handler;
    }

    /**
     * Starts the vCPU thread; returns once the thread is ready to be kicked. A {@link #pause()} requested
     * before keeps the thread parked before its first KVM_RUN.
     */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("vcpu " + vcpu.id() + " already started");
        }
        synchronized (parkLock) {
            vcpu.requestImmediateExit(pauseRequested || stopRequested);
        }
        thread = Thread.ofPlatform().name("vcpu-" + vcpu.id()).daemon(true).start(this::loop);
        started.join();
    }

    private void loop() {
        Stop result;
        try {
            tid = Posix.gettid();
            started.complete(vcpu.prepareThread());
            result = runUntilStop();
        } catch (Throwable t) {
            started.complete(0L);
            result = new Stop(Reason.ERROR, "vcpu " + vcpu.id() + ": " + t.getMessage(), t);
        }
        CompletableFuture<Void> pause;
        synchronized (parkLock) {
            // Outside KVM_RUN for good, which is all a pause asks for.
            loopEnded = true;
            pause = pendingPause;
            pendingPause = null;
        }
        if (pause != null) {
            pause.complete(null);
        }
        synchronized (kickLock) {
            // A kick may still be pending (sent while the thread served an exit). Consume it: a thread
            // that exits with a pending signal may have it delivered with the default action (kill).
            ThreadSignals.drainPendingKicks();
            stopped.complete(result);
        }
    }

    private Stop runUntilStop() throws InterruptedException {
        while (true) {
            if (stopRequested) {
                return new Stop(Reason.STOPPED, "", null);
            }
            if (park()) {
                continue; // resumed or stopped: the loop head decides again
            }
            if (runs++ == 0) {
                firstRunMillis = System.currentTimeMillis();
            }
            VcpuExit exit;
            try {
                exit = vcpu.run(handler);
            } finally {
                count(vcpu.lastExitReason());
            }
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

    /**
     * Parks the thread while a pause is requested; returns whether it parked. Completes the pending pause
     * future outside the lock, so whatever the future runs never holds up {@link #resume()}.
     */
    private boolean park() throws InterruptedException {
        boolean wasParked = false;
        while (true) {
            CompletableFuture<Void> done;
            synchronized (parkLock) {
                if (!pauseRequested || stopRequested) {
                    parked = false;
                    return wasParked;
                }
                wasParked = true;
                if (pendingPause == null) {
                    parked = true;
                    parkLock.wait();
                    continue;
                }
                // Kicks sent for this pause are pending now (pthread_kill queues at once, under this
                // lock): consume them, so the first KVM_RUN after the resume does not return EINTR.
                ThreadSignals.drainPendingKicks();
                parked = true;
                done = pendingPause;
                pendingPause = null;
            }
            done.complete(null);
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
        synchronized (parkLock) {
            stopRequested = true;
            vcpu.requestImmediateExit(true);
            parkLock.notifyAll();
        }
        kick();
    }

    private void kick() {
        long pthread = started.getNow(0L);
        synchronized (kickLock) {
            if (pthread != 0L && !stopped.isDone()) {
                ThreadSignals.kick(pthread);
            }
        }
    }

    /**
     * From any thread but the vCPU's own: asks the vCPU to park outside KVM_RUN. The future completes
     * once it is parked (at once if it already is), or once its loop has ended: either way it is outside
     * KVM_RUN and stays there until {@link #resume()}. Before {@link #start()} the request is kept, and
     * the thread parks before its first KVM_RUN. Repeated calls while a pause is pending return the same
     * future. Never waits.
     */
    public CompletableFuture<Void> pause() {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("vcpu " + vcpu.id() + " cannot pause itself: a device on the vCPU"
                    + " thread must ask the VM's control thread to pause");
        }
        synchronized (parkLock) {
            if (loopEnded || (pauseRequested && parked)) {
                pauseRequested = true;
                return CompletableFuture.completedFuture(null);
            }
            if (pendingPause != null) {
                return pendingPause;
            }
            pauseRequested = true;
            pendingPause = new CompletableFuture<>();
            vcpu.requestImmediateExit(true);
            if (!parked) {
                kick();
            }
            return pendingPause;
        }
    }

    /**
     * From any thread: lets a paused vCPU enter KVM_RUN again. Clears immediate_exit (unless a stop is
     * requested) before waking the thread. A pause that had not completed yet is completed exceptionally
     * with a {@link java.util.concurrent.CancellationException}: the vCPU never parked for it.
     */
    public void resume() {
        CompletableFuture<Void> cancelled;
        synchronized (parkLock) {
            pauseRequested = false;
            cancelled = pendingPause;
            pendingPause = null;
            if (!stopRequested) {
                vcpu.requestImmediateExit(false);
            }
            parkLock.notifyAll();
        }
        if (cancelled != null) {
            cancelled.cancel(false);
        }
    }

    /** Whether the thread is parked by a pause right now (false once it was resumed or its loop ended). */
    public boolean isPaused() {
        synchronized (parkLock) {
            return parked && pauseRequested && !loopEnded;
        }
    }

    private void count(int reason) {
        int last = exits.length() - 1;
        exits.incrementAndGet(reason >= 0 && reason < last ? reason : last);
    }

    /**
     * The exits this vCPU has taken to user space so far, by reason as the uapi names it without its
     * {@code KVM_EXIT_} prefix ({@code IO}, {@code MMIO}, {@code HLT}...); KVM_RUN calls that returned an
     * error instead (a kick: EINTR) count as {@code NONE_EINTR}. Reasons never seen are left out.
     */
    public Map<String, Long> exitCounts() {
        Map<String, Long> out = new TreeMap<>();
        int last = exits.length() - 1;
        for (int i = 0; i <= last; i++) {
            long n = exits.get(i);
            if (n != 0) {
                out.merge(i == last ? "NONE_EINTR" : KvmExit.name(i).replaceFirst("^KVM_EXIT_", ""), n, Long::sum);
            }
        }
        return out;
    }

    /** How many times the thread has entered KVM_RUN. */
    public long runCount() {
        return runs;
    }

    /** When the thread first entered KVM_RUN, or empty if it has not yet. */
    public Optional<Instant> firstRun() {
        long at = firstRunMillis;
        return at == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(at));
    }

    /** The vCPU thread's kernel thread ID (as in /proc/PID/task), or 0 before {@link #start()}. */
    public int threadId() {
        return tid;
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
