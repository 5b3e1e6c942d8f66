package dev.jvmm.vmm;

import java.time.Instant;
import java.util.Objects;

/**
 * A change in a VM's life that the control plane reports to its listeners, with the host wall-clock time
 * it happened. The set and the meaning follow QEMU's events of the same names (STOP, RESUME, RESET,
 * POWERDOWN, SHUTDOWN).
 */
public sealed interface LifecycleEvent {

    /** When it happened (host wall clock). */
    Instant timestamp();

    /** Every vCPU was paused. */
    record Stop(Instant timestamp) implements LifecycleEvent {
        public Stop {
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }

    /** The vCPUs run again. */
    record Resume(Instant timestamp) implements LifecycleEvent {
        public Resume {
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }

    /** The machine is being reset, by the guest ({@code guest}) or the host; a new run follows. */
    record Reset(Instant timestamp, boolean guest, ShutdownCause cause) implements LifecycleEvent {
        public Reset {
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(cause, "cause");
        }
    }

    /** The host pressed the power button; the guest may act on it or not. */
    record Powerdown(Instant timestamp) implements LifecycleEvent {
        public Powerdown {
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }

    /** The VM is ending, by the guest ({@code guest}) or the host; no new run follows. */
    record Shutdown(Instant timestamp, boolean guest, ShutdownCause cause) implements LifecycleEvent {
        public Shutdown {
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(cause, "cause");
        }
    }
}
