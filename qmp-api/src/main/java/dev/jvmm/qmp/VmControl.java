package dev.jvmm.qmp;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the QMP server needs from a virtual machine: run-state control and inventory queries.
 *
 * <p>Threading contract. The server calls these methods on its event loop. An implementation must not
 * block: it hands the work to the VM's own control thread and returns at once with a future that the
 * control thread completes. A command that changes the run state emits its event through
 * {@link #events()} <em>before</em> completing its future, which is the order QEMU uses on the wire
 * ({@code STOP} before the {@code stop} reply, {@code SHUTDOWN} before the {@code quit} reply).
 *
 * <p>Failures. A future completed with a {@link QmpException} reaches the client with that exception's
 * error class and text; any other exception becomes a {@code GenericError} carrying its message.
 */
public interface VmControl {

    /** The current run state ({@code query-status}). */
    CompletableFuture<RunState> status();

    /**
     * Pauses every vCPU ({@code stop}). From {@link RunState#RUNNING} it emits {@link VmEvent.Stop} and
     * the state becomes {@link RunState#PAUSED}; in any other state it changes nothing and emits nothing.
     */
    CompletableFuture<Void> stop();

    /**
     * Resumes the VM ({@code cont}). From {@link RunState#PAUSED} or {@link RunState#PRELAUNCH} it emits
     * {@link VmEvent.Resume} and the state becomes {@link RunState#RUNNING}; when already running it
     * changes nothing and emits nothing.
     */
    CompletableFuture<Void> cont();

    /**
     * Resets the machine ({@code system_reset}) and emits {@link VmEvent.Reset} with
     * {@code guest=false, reason=host-qmp-system-reset}. The run state is kept.
     */
    CompletableFuture<Void> reset();

    /**
     * Presses the ACPI power button ({@code system_powerdown}) and emits {@link VmEvent.Powerdown}. The
     * guest may ignore it; if it powers off, {@link VmEvent.Shutdown} follows later.
     */
    CompletableFuture<Void> powerdown();

    /**
     * Ends the VM ({@code quit}): emits {@link VmEvent.Shutdown} with {@code guest=false,
     * reason=host-qmp-quit}, then completes. The server answers and closes the asking connection;
     * closing the server itself is the owner's job.
     */
    CompletableFuture<Void> quit();

    /** The PCI hierarchy as QEMU reports it: one entry per root bus, bridges nested ({@code query-pci}). */
    CompletableFuture<List<PciInfo>> queryPci();

    /** One entry per vCPU, in CPU index order ({@code query-cpus-fast}). */
    CompletableFuture<List<CpuInfo>> queryCpus();

    /** Where the VM publishes its {@link VmEvent}s. */
    VmEventSource events();
}
