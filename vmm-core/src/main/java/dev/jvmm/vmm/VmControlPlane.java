package dev.jvmm.vmm;

import dev.jvmm.pci.PciFunctionSummary;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * How a control channel (QMP, a future REST API) drives the VM: run state, reset and power, inventories,
 * and lifecycle events. It outlives each VM run: when the guest or a client resets the machine, the VMM
 * builds a new VM and the same control plane carries on with it.
 *
 * <p>Threading. Every method returns at once; the work runs on the VM's single control thread, in the
 * order the calls were made, and the future completes there. Callers on an event loop may therefore call
 * freely; nothing here blocks them. A command that changes the run state publishes its event before its
 * future completes (QEMU's order: STOP before the {@code stop} reply). Requests that need a VM while it
 * is being rebuilt after a reset wait for the new one.
 *
 * <p>Failures. Futures fail with {@link VmControlException} when the request cannot be carried out (no
 * power button, the VM has shut down); the message is meant for the client.
 */
public interface VmControlPlane {

    /** The current run state. */
    CompletableFuture<RunStatus> status();

    /**
     * Parks every vCPU outside KVM_RUN and stops the guest clock. From {@link RunStatus#RUNNING} it
     * publishes {@link LifecycleEvent.Stop} and the state becomes {@link RunStatus#PAUSED}; otherwise it
     * does nothing. A reset while paused keeps the VM paused.
     */
    CompletableFuture<Void> pause();

    /**
     * Restarts the guest clock where it stopped and lets the vCPUs run. From {@link RunStatus#PAUSED}
     * it publishes {@link LifecycleEvent.Resume} and the state becomes {@link RunStatus#RUNNING};
     * otherwise it does nothing.
     */
    CompletableFuture<Void> resume();

    /**
     * Resets the machine: ends this run so the VMM builds the VM afresh, publishing
     * {@link LifecycleEvent.Reset} (host, {@link ShutdownCause#HOST_QMP_SYSTEM_RESET}); under
     * {@code -no-reboot} the VMM exits instead, after {@link LifecycleEvent.Shutdown} with that cause.
     */
    CompletableFuture<Void> reset();

    /**
     * Presses the guest's power button and publishes {@link LifecycleEvent.Powerdown}; the guest decides
     * whether to power off. Fails with {@link VmControlException} when the machine has no power button.
     */
    CompletableFuture<Void> powerdown();

    /**
     * Ends the VM and the VMM: publishes {@link LifecycleEvent.Shutdown} (host,
     * {@link ShutdownCause#HOST_QMP_QUIT}), completes, then stops the vCPUs; the VMM exits with 0.
     */
    CompletableFuture<Void> quit();

    /** Every PCI function as the guest sees it now, in address order. */
    CompletableFuture<List<PciFunctionSummary>> pciFunctions();

    /** Every vCPU, in index order, with the host thread that runs it. */
    CompletableFuture<List<VcpuInfo>> vcpus();

    /**
     * Delivers every later event to {@code listener}, on the control thread, in order, until the
     * subscription is closed. A listener must not block; one that throws fails the request that caused
     * the event (after the other listeners got it).
     */
    Subscription subscribe(Consumer<? super LifecycleEvent> listener);

    /** An open subscription; closing it twice is harmless. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
