package dev.jvmm.qmp.testing;

import dev.jvmm.qmp.CpuInfo;
import dev.jvmm.qmp.PciInfo;
import dev.jvmm.qmp.RunState;
import dev.jvmm.qmp.ShutdownCause;
import dev.jvmm.qmp.VmControl;
import dev.jvmm.qmp.VmEvent;
import dev.jvmm.qmp.VmEventHub;
import dev.jvmm.qmp.VmEventSource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A VM with real run-state behaviour (prelaunch/running/paused/shutdown, the transitions and events of
 * QMP-FACTS section 9) and no guest. All work runs on its own "vm-control" thread, as the real VM's does;
 * it counts the calls that reached that thread, can hold them behind a gate to prove the server never
 * waits for the VM, and can fail the next call on demand.
 */
public final class FakeVm implements VmControl, AutoCloseable {

    public static final String CONTROL_THREAD = "fake-vm-control";

    private final ExecutorService control = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, CONTROL_THREAD);
        t.setDaemon(true);
        return t;
    });
    private final VmEventHub hub = new VmEventHub();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicReference<CountDownLatch> gate = new AtomicReference<>();
    private final AtomicReference<Throwable> failNext = new AtomicReference<>();
    private volatile RunState state;
    private volatile List<PciInfo> pci = List.of();
    private volatile List<CpuInfo> cpus = List.of();

    public FakeVm(RunState initial) {
        this.state = initial;
    }

    /** A VM started with -S: prelaunch. */
    public FakeVm() {
        this(RunState.PRELAUNCH);
    }

    public RunState state() {
        return state;
    }

    /** How many times {@code operation} ran on the control thread. */
    public int calls(String operation) {
        AtomicInteger n = calls.get(operation);
        return n == null ? 0 : n.get();
    }

    public void setPci(List<PciInfo> value) {
        pci = List.copyOf(value);
    }

    public void setCpus(List<CpuInfo> value) {
        cpus = List.copyOf(value);
    }

    /** Holds every later call on the control thread until {@link #openGate()}. */
    public void closeGate() {
        gate.set(new CountDownLatch(1));
    }

    public void openGate() {
        CountDownLatch latch = gate.getAndSet(null);
        if (latch != null) {
            latch.countDown();
        }
    }

    /** The next call completes exceptionally with {@code failure} and changes nothing. */
    public void failNext(Throwable failure) {
        failNext.set(failure);
    }

    /** Emits an event as if the guest caused it (e.g. a guest-initiated SHUTDOWN). */
    public void emitFromGuest(VmEvent event) {
        control.execute(() -> hub.publish(event));
    }

    @Override
    public CompletableFuture<RunState> status() {
        return run("status", () -> state);
    }

    @Override
    public CompletableFuture<Void> stop() {
        return run("stop", () -> {
            if (state == RunState.RUNNING) {
                state = RunState.PAUSED;
                hub.publish(new VmEvent.Stop(Instant.now()));
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> cont() {
        return run("cont", () -> {
            if (state == RunState.PAUSED || state == RunState.PRELAUNCH) {
                state = RunState.RUNNING;
                hub.publish(new VmEvent.Resume(Instant.now()));
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> reset() {
        return run("reset", () -> {
            hub.publish(new VmEvent.Reset(Instant.now(), false, ShutdownCause.HOST_QMP_SYSTEM_RESET));
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> powerdown() {
        return run("powerdown", () -> {
            hub.publish(new VmEvent.Powerdown(Instant.now()));
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> quit() {
        return run("quit", () -> {
            state = RunState.SHUTDOWN;
            hub.publish(new VmEvent.Shutdown(Instant.now(), false, ShutdownCause.HOST_QMP_QUIT));
            return null;
        });
    }

    @Override
    public CompletableFuture<List<PciInfo>> queryPci() {
        return run("queryPci", () -> pci);
    }

    @Override
    public CompletableFuture<List<CpuInfo>> queryCpus() {
        return run("queryCpus", () -> cpus);
    }

    @Override
    public VmEventSource events() {
        return hub;
    }

    public VmEventHub hub() {
        return hub;
    }

    private <T> CompletableFuture<T> run(String operation, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        control.execute(() -> {
            try {
                CountDownLatch latch = gate.get();
                if (latch != null && !latch.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("test gate was never opened");
                }
                if (!Thread.currentThread().getName().equals(CONTROL_THREAD)) {
                    throw new IllegalStateException("VM work ran off the control thread");
                }
                calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
                Throwable failure = failNext.getAndSet(null);
                if (failure != null) {
                    result.completeExceptionally(failure);
                    return;
                }
                result.complete(work.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    @Override
    public void close() {
        openGate();
        control.shutdownNow();
    }
}
