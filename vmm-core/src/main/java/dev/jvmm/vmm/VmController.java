package dev.jvmm.vmm;

import dev.jvmm.devices.PowerButton;
import dev.jvmm.pci.PciFunctionSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@link VmControlPlane} of {@code bin/vmm}: one control thread ({@value #THREAD_NAME}) that runs
 * every request in order, and the run state that lives across VM runs.
 *
 * <p>{@link Main} hands it each VM it builds: {@link #attach} (the control thread starts the vCPUs, parked
 * if the VM is paused, or stops the VM at once if the host already asked to quit) and {@link #vmEnded}
 * (publishes how the guest ended the run, and decides whether a new VM follows). Host requests
 * ({@link #reset()}, {@link #quit()}, {@link #hostSignal}) announce their own SHUTDOWN or RESET when they
 * are made, so the end of the run they cause is not announced twice. Requests that need a VM while none
 * is attached (from a host reset until the next {@link #attach}) wait for the next one, in order.
 *
 * <p>Invariant: all fields below the listeners are read and written on the control thread only.
 */
public final class VmController implements VmControlPlane, AutoCloseable {
    /** The name of the control thread. */
    public static final String THREAD_NAME = "vm-control";
    /** How long a pause waits for every vCPU to leave KVM_RUN. */
    public static final Duration PAUSE_TIMEOUT = Duration.ofSeconds(5);

    private final boolean noReboot;
    private final ExecutorService control = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name(THREAD_NAME).daemon(true).unstarted(r));
    private final CopyOnWriteArrayList<Consumer<? super LifecycleEvent>> listeners = new CopyOnWriteArrayList<>();

    private LinuxVm vm;
    private RunStatus status = RunStatus.RUNNING;
    /** The current run's end was announced when the host asked for it: {@link #vmEnded} adds nothing. */
    private boolean endAnnounced;
    /** Why the host wants the VMM gone (quit, signal); every VM attached later is stopped at once. */
    private String stopRequest;
    /** No VM will be attached any more. */
    private boolean finished;
    /** Requests that need a VM, made while none was attached; run at the next {@link #attach}, in order. */
    private final ArrayDeque<Waiting> waitingForVm = new ArrayDeque<>();

    private record Waiting(CompletableFuture<?> result, Runnable work) {
    }

    /** {@code noReboot}: a reset ends the VMM ({@code -no-reboot}) instead of starting a new run. */
    public VmController(boolean noReboot) {
        this.noReboot = noReboot;
    }

    // ---- VmControlPlane ------------------------------------------------------------------------

    @Override
    public CompletableFuture<RunStatus> status() {
        return submit(() -> status);
    }

    @Override
    public CompletableFuture<Void> pause() {
        return submit(() -> {
            if (status != RunStatus.RUNNING) {
                return null;
            }
            if (vm != null) {
                try {
                    vm.pause(PAUSE_TIMEOUT);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new VmControlException(e.getMessage(), e);
                }
            }
            status = RunStatus.PAUSED; // with no VM attached, the next one starts paused
            publish(new LifecycleEvent.Stop(Instant.now()));
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> resume() {
        return submit(() -> {
            if (status != RunStatus.PAUSED) {
                return null;
            }
            if (vm != null) {
                vm.resume();
            }
            status = RunStatus.RUNNING;
            publish(new LifecycleEvent.Resume(Instant.now()));
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> reset() {
        return withVm("system_reset", running -> {
            if (stopRequest != null || !running.hostReset("reset by the control plane")) {
                return null; // the run is ending for another reason, which will be announced
            }
            vm = null; // this run is over: later requests that need a VM go to the next one
            endAnnounced = true;
            if (noReboot) {
                status = RunStatus.SHUTDOWN;
                publish(new LifecycleEvent.Shutdown(Instant.now(), false, ShutdownCause.HOST_QMP_SYSTEM_RESET));
            } else {
                publish(new LifecycleEvent.Reset(Instant.now(), false, ShutdownCause.HOST_QMP_SYSTEM_RESET));
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> powerdown() {
        return withVm("system_powerdown", running -> {
            PowerButton button = running.powerButton().orElseThrow(() -> new VmControlException(
                    "guest has no ACPI power button: this machine has no ACPI PM device to raise the event;"
                            + " use quit to stop the VM"));
            button.pressPowerButton();
            publish(new LifecycleEvent.Powerdown(Instant.now()));
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> quit() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        execute(done, () -> {
            boolean stopNow = announceStop("quit by the control plane", ShutdownCause.HOST_QMP_QUIT);
            // Answer first, then stop: the reply is on its way before the run can end.
            done.complete(null);
            if (stopNow && vm != null) {
                vm.hostStop(stopRequest);
                vm = null;
            }
        });
        return done;
    }

    @Override
    public CompletableFuture<List<PciFunctionSummary>> pciFunctions() {
        return withVm("PCI inventory", running -> running.platform().pci().summary());
    }

    @Override
    public CompletableFuture<List<VcpuInfo>> vcpus() {
        return withVm("vCPU inventory", LinuxVm::vcpus);
    }

    @Override
    public Subscription subscribe(Consumer<? super LifecycleEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        Consumer<LifecycleEvent> entry = listener::accept; // its own identity, so a listener may subscribe twice
        listeners.add(entry);
        return () -> listeners.remove(entry);
    }

    // ---- the VMM's side ------------------------------------------------------------------------

    /**
     * Makes {@code next} the VM this control plane drives and starts it on the control thread: parked if
     * the VM is paused, stopped at once if the host already asked to quit. Then runs the requests that
     * waited for a VM. Blocks until done; a failure to start is rethrown.
     */
    public void attach(LinuxVm next) throws InterruptedException {
        Objects.requireNonNull(next, "next");
        call(() -> {
            if (finished) {
                throw new IllegalStateException("the control plane has finished: no VM can be attached");
            }
            if (vm != null) {
                throw new IllegalStateException("a VM is attached already; report its end with vmEnded first");
            }
            endAnnounced = false;
            if (stopRequest != null) {
                next.hostStop(stopRequest);
                endAnnounced = true;
            } else if (status == RunStatus.PAUSED) {
                next.pause(PAUSE_TIMEOUT); // not started yet: the vCPUs park before their first KVM_RUN
            }
            next.start();
            vm = next;
            Waiting waiting;
            while (vm != null && (waiting = waitingForVm.poll()) != null) {
                waiting.work().run();
            }
            return null;
        });
    }

    /**
     * The attached VM's run ended with {@code exit}: announces how (unless the host request that ended
     * it did already) and returns whether the VMM should build a new VM, which it must then
     * {@link #attach}. Blocks until done.
     */
    public boolean vmEnded(LinuxVm.Exit exit) throws InterruptedException {
        Objects.requireNonNull(exit, "exit");
        return call(() -> {
            vm = null;
            LinuxVm.Outcome outcome = exit.outcome();
            boolean reset = outcome == LinuxVm.Outcome.RESET || outcome == LinuxVm.Outcome.HOST_RESET;
            boolean restart = reset && !noReboot && stopRequest == null;
            if (outcome == LinuxVm.Outcome.ERROR) {
                status = RunStatus.INTERNAL_ERROR;
            } else if (!restart) {
                status = RunStatus.SHUTDOWN;
            }
            boolean announce = !endAnnounced;
            endAnnounced = false;
            if (!restart) {
                finish("the VM has shut down");
            }
            if (announce) {
                publish(endEvent(outcome, restart));
            }
            return restart;
        });
    }

    /** SIGTERM or SIGINT: announces the shutdown and stops the VM. Returns false when closed already. */
    public boolean hostSignal(String signal) {
        try {
            control.execute(() -> {
                String why = "stopped by " + signal;
                if (announceStop(why, ShutdownCause.HOST_SIGNAL) && vm != null) {
                    vm.hostStop(why);
                    vm = null;
                }
            });
            return true;
        } catch (RejectedExecutionException closed) {
            return false;
        }
    }

    /** Fails the requests still waiting for a VM and stops the control thread; waits for it to end. */
    @Override
    public void close() {
        try {
            control.execute(() -> finish("the VMM is exiting"));
        } catch (RejectedExecutionException alreadyClosed) {
            return;
        }
        control.shutdown();
        try {
            if (!control.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the VM control thread did not finish within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- control thread ------------------------------------------------------------------------

    /** Returns whether this request is the one that stops the VMM (false if one came before). */
    private boolean announceStop(String why, ShutdownCause cause) {
        if (stopRequest != null || finished) {
            return false;
        }
        stopRequest = why;
        status = RunStatus.SHUTDOWN;
        endAnnounced = true;
        publish(new LifecycleEvent.Shutdown(Instant.now(), false, cause));
        return true;
    }

    private static LifecycleEvent endEvent(LinuxVm.Outcome outcome, boolean restart) {
        Instant now = Instant.now();
        return switch (outcome) {
            case POWER_OFF -> new LifecycleEvent.Shutdown(now, true, ShutdownCause.GUEST_SHUTDOWN);
            case RESET -> restart ? new LifecycleEvent.Reset(now, true, ShutdownCause.GUEST_RESET)
                    : new LifecycleEvent.Shutdown(now, true, ShutdownCause.GUEST_RESET);
            case HOST_RESET -> restart ? new LifecycleEvent.Reset(now, false, ShutdownCause.HOST_QMP_SYSTEM_RESET)
                    : new LifecycleEvent.Shutdown(now, false, ShutdownCause.HOST_QMP_SYSTEM_RESET);
            case HOST_STOP -> new LifecycleEvent.Shutdown(now, false, ShutdownCause.NONE);
            case ERROR -> new LifecycleEvent.Shutdown(now, false, ShutdownCause.HOST_ERROR);
        };
    }

    private void finish(String why) {
        finished = true;
        vm = null;
        Waiting waiting;
        while ((waiting = waitingForVm.poll()) != null) {
            waiting.result().completeExceptionally(new VmControlException(why));
        }
    }

    /** Delivers {@code event} to every listener; the first failure is rethrown after all ran. */
    private void publish(LifecycleEvent event) {
        RuntimeException first = null;
        for (Consumer<? super LifecycleEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private <T> CompletableFuture<T> withVm(String what, Function<LinuxVm, T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(result, () -> {
            if (vm != null) {
                result.complete(work.apply(vm));
            } else if (finished) {
                throw new VmControlException(what + ": the VM has shut down");
            } else {
                waitingForVm.add(new Waiting(result, () -> {
                    try {
                        result.complete(work.apply(vm));
                    } catch (Throwable t) {
                        result.completeExceptionally(t);
                    }
                }));
            }
        });
        return result;
    }

    private <T> CompletableFuture<T> submit(Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(result, () -> result.complete(work.call()));
        return result;
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    /** Runs {@code work} on the control thread; anything it throws fails {@code result}. */
    private void execute(CompletableFuture<?> result, Work work) {
        try {
            control.execute(() -> {
                try {
                    work.run();
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new VmControlException("the VMM is exiting: its control plane is closed"));
        }
    }

    /** Runs {@code work} on the control thread and waits for it; its exception is rethrown as is. */
    private <T> T call(Callable<T> work) throws InterruptedException {
        CompletableFuture<T> result = submit(work);
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
