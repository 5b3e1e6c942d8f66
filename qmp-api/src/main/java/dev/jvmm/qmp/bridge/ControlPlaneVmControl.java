package dev.jvmm.qmp.bridge;

import dev.jvmm.qmp.CpuInfo;
import dev.jvmm.qmp.CpuInstanceProperties;
import dev.jvmm.qmp.PciInfo;
import dev.jvmm.qmp.QmpException;
import dev.jvmm.qmp.RunState;
import dev.jvmm.qmp.VmControl;
import dev.jvmm.qmp.VmEvent;
import dev.jvmm.qmp.VmEventHub;
import dev.jvmm.qmp.VmEventSource;
import dev.jvmm.vmm.LifecycleEvent;
import dev.jvmm.vmm.RunStatus;
import dev.jvmm.vmm.VcpuInfo;
import dev.jvmm.vmm.VmControlException;
import dev.jvmm.vmm.VmControlPlane;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The QMP server's {@link VmControl} on top of vmm-core's {@link VmControlPlane}: each command is the
 * matching control-plane request (which runs on the VM's control thread and never blocks the event loop),
 * its result translated into QMP's records, and each {@link LifecycleEvent} republished as the
 * {@link VmEvent} of the same name. A {@link VmControlException} reaches the client as a
 * {@code GenericError} with its message.
 *
 * <p>Events flow from the control plane's listener, on the control thread, straight into the hub the
 * server subscribed to: a state change's event is queued for the clients before the command's future
 * completes, as {@link VmControl} requires. Closing unsubscribes from the control plane.
 */
public final class ControlPlaneVmControl implements VmControl, AutoCloseable {
    /** QEMU's object path of vCPU {@code index} on x86 machines. */
    static final String CPU_QOM_PATH = "/machine/unattached/device[%d]";

    private final VmControlPlane plane;
    private final VmEventHub hub = new VmEventHub();
    private final VmControlPlane.Subscription subscription;

    public ControlPlaneVmControl(VmControlPlane plane) {
        this.plane = Objects.requireNonNull(plane, "plane");
        this.subscription = plane.subscribe(event -> hub.publish(event(event)));
    }

    @Override
    public CompletableFuture<RunState> status() {
        return qmp(plane.status()).thenApply(ControlPlaneVmControl::runState);
    }

    @Override
    public CompletableFuture<Void> stop() {
        return qmp(plane.pause());
    }

    @Override
    public CompletableFuture<Void> cont() {
        return qmp(plane.resume());
    }

    @Override
    public CompletableFuture<Void> reset() {
        return qmp(plane.reset());
    }

    @Override
    public CompletableFuture<Void> powerdown() {
        return qmp(plane.powerdown());
    }

    @Override
    public CompletableFuture<Void> quit() {
        return qmp(plane.quit());
    }

    @Override
    public CompletableFuture<List<PciInfo>> queryPci() {
        return qmp(plane.pciFunctions()).thenApply(PciInventory::of);
    }

    @Override
    public CompletableFuture<List<CpuInfo>> queryCpus() {
        return qmp(plane.vcpus()).thenApply(vcpus -> vcpus.stream().map(ControlPlaneVmControl::cpu).toList());
    }

    @Override
    public VmEventSource events() {
        return hub;
    }

    /** Stops republishing the control plane's events. */
    @Override
    public void close() {
        subscription.close();
    }

    static RunState runState(RunStatus status) {
        return switch (status) {
            case RUNNING -> RunState.RUNNING;
            case PAUSED -> RunState.PAUSED;
            case SHUTDOWN -> RunState.SHUTDOWN;
            case INTERNAL_ERROR -> RunState.INTERNAL_ERROR;
        };
    }

    static CpuInfo cpu(VcpuInfo v) {
        return new CpuInfo(v.index(), String.format(CPU_QOM_PATH, v.index()), v.hostThreadId(),
                Optional.of(CpuInstanceProperties.of(v.socket(), v.core(), v.thread())), CpuInfo.X86_64);
    }

    static VmEvent event(LifecycleEvent event) {
        return switch (event) {
            case LifecycleEvent.Stop e -> new VmEvent.Stop(e.timestamp());
            case LifecycleEvent.Resume e -> new VmEvent.Resume(e.timestamp());
            case LifecycleEvent.Reset e -> new VmEvent.Reset(e.timestamp(), e.guest(), cause(e.cause()));
            case LifecycleEvent.Powerdown e -> new VmEvent.Powerdown(e.timestamp());
            case LifecycleEvent.Shutdown e -> new VmEvent.Shutdown(e.timestamp(), e.guest(), cause(e.cause()));
        };
    }

    static dev.jvmm.qmp.ShutdownCause cause(dev.jvmm.vmm.ShutdownCause cause) {
        return switch (cause) {
            case NONE -> dev.jvmm.qmp.ShutdownCause.NONE;
            case HOST_ERROR -> dev.jvmm.qmp.ShutdownCause.HOST_ERROR;
            case HOST_QMP_QUIT -> dev.jvmm.qmp.ShutdownCause.HOST_QMP_QUIT;
            case HOST_QMP_SYSTEM_RESET -> dev.jvmm.qmp.ShutdownCause.HOST_QMP_SYSTEM_RESET;
            case HOST_SIGNAL -> dev.jvmm.qmp.ShutdownCause.HOST_SIGNAL;
            case GUEST_SHUTDOWN -> dev.jvmm.qmp.ShutdownCause.GUEST_SHUTDOWN;
            case GUEST_RESET -> dev.jvmm.qmp.ShutdownCause.GUEST_RESET;
        };
    }

    /** The same future, with a {@link VmControlException} turned into a QMP GenericError. */
    static <T> CompletableFuture<T> qmp(CompletableFuture<T> request) {
        return request.handle((value, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(value);
            }
            Throwable cause = failure;
            while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                    && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof VmControlException refused) {
                QmpException generic = QmpException.generic(refused.getMessage());
                generic.initCause(refused);
                cause = generic;
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(f -> f);
    }
}
