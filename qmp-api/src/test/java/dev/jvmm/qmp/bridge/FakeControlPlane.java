package dev.jvmm.qmp.bridge;

import dev.jvmm.pci.PciFunctionSummary;
import dev.jvmm.vmm.LifecycleEvent;
import dev.jvmm.vmm.RunStatus;
import dev.jvmm.vmm.ShutdownCause;
import dev.jvmm.vmm.VcpuInfo;
import dev.jvmm.vmm.VmControlException;
import dev.jvmm.vmm.VmControlPlane;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A control plane with vmm-core's run-state rules and no VM: every request runs on its own control
 * thread, state changes publish their event before the future completes, and a powerdown is refused
 * unless {@link #givePowerButton()} was called, as a machine without ACPI refuses it.
 */
final class FakeControlPlane implements VmControlPlane, AutoCloseable {
    static final String CONTROL_THREAD = "fake-control";

    private final ExecutorService control = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name(CONTROL_THREAD).daemon(true).unstarted(r));
    private final CopyOnWriteArrayList<Consumer<? super LifecycleEvent>> listeners = new CopyOnWriteArrayList<>();
    private volatile RunStatus status = RunStatus.RUNNING;
    private volatile boolean powerButton;
    volatile List<PciFunctionSummary> pci = List.of();
    volatile List<VcpuInfo> vcpus = List.of();
    /** Names of the threads the requests ran on. */
    final CopyOnWriteArrayList<String> ranOn = new CopyOnWriteArrayList<>();

    void givePowerButton() {
        powerButton = true;
    }

    int subscribers() {
        return listeners.size();
    }

    /** Publishes {@code event} on the control thread, as a guest-caused event would be. */
    void emit(LifecycleEvent event) {
        control.execute(() -> publish(event));
    }

    @Override
    public CompletableFuture<RunStatus> status() {
        return run(() -> status);
    }

    @Override
    public CompletableFuture<Void> pause() {
        return run(() -> {
            if (status == RunStatus.RUNNING) {
                status = RunStatus.PAUSED;
                publish(new LifecycleEvent.Stop(Instant.now()));
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> resume() {
        return run(() -> {
            if (status == RunStatus.PAUSED) {
                status = RunStatus.RUNNING;
                publish(new LifecycleEvent.Resume(Instant.now()));
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> reset() {
        return run(() -> {
            publish(new LifecycleEvent.Reset(Instant.now(), false, ShutdownCause.HOST_QMP_SYSTEM_RESET));
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> powerdown() {
        return run(() -> {
            if (!powerButton) {
                throw new VmControlException("guest has no ACPI power button: this machine has no ACPI PM device");
            }
            publish(new LifecycleEvent.Powerdown(Instant.now()));
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> quit() {
        return run(() -> {
            status = RunStatus.SHUTDOWN;
            publish(new LifecycleEvent.Shutdown(Instant.now(), false, ShutdownCause.HOST_QMP_QUIT));
            return null;
        });
    }

    @Override
    public CompletableFuture<List<PciFunctionSummary>> pciFunctions() {
        return run(() -> pci);
    }

    @Override
    public CompletableFuture<List<VcpuInfo>> vcpus() {
        return run(() -> vcpus);
    }

    @Override
    public Subscription subscribe(Consumer<? super LifecycleEvent> listener) {
        Consumer<LifecycleEvent> entry = listener::accept;
        listeners.add(entry);
        return () -> listeners.remove(entry);
    }

    private void publish(LifecycleEvent event) {
        listeners.forEach(l -> l.accept(event));
    }

    private <T> CompletableFuture<T> run(Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        control.execute(() -> {
            ranOn.add(Thread.currentThread().getName());
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    @Override
    public void close() {
        control.shutdownNow();
    }
}
