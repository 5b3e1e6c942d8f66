package dev.jvmm.qmp;

import java.time.Instant;
import java.util.Objects;

/**
 * Something the VM reports to every negotiated QMP client. Each event carries the host wall-clock time
 * at which it happened; on the wire that becomes {@code timestamp: {seconds, microseconds}}.
 * New events (DEVICE_DELETED with device_del) are added as further records of this sealed type, so every
 * encoder switch over it fails to compile until it handles them.
 */
public sealed interface VmEvent {

    /** When the event happened (host wall clock). */
    Instant timestamp();

    /** The QMP event name, e.g. {@code STOP}. */
    String name();

    /** {@code STOP}: the vCPUs were paused. */
    record Stop(Instant timestamp) implements VmEvent {
        public Stop {
            Objects.requireNonNull(timestamp, "timestamp");
        }

        @Override
        public String name() {
            return "STOP";
        }
    }

    /** {@code RESUME}: the vCPUs run again. */
    record Resume(Instant timestamp) implements VmEvent {
        public Resume {
            Objects.requireNonNull(timestamp, "timestamp");
        }

        @Override
        public String name() {
            return "RESUME";
        }
    }

    /** {@code RESET}: the machine was reset, by the guest ({@code guest=true}) or by the host. */
    record Reset(Instant timestamp, boolean guest, ShutdownCause reason) implements VmEvent {
        public Reset {
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String name() {
            return "RESET";
        }
    }

    /** {@code POWERDOWN}: the ACPI power button was pressed. */
    record Powerdown(Instant timestamp) implements VmEvent {
        public Powerdown {
            Objects.requireNonNull(timestamp, "timestamp");
        }

        @Override
        public String name() {
            return "POWERDOWN";
        }
    }

    /** {@code SHUTDOWN}: the machine shut down, by the guest ({@code guest=true}) or by the host. */
    record Shutdown(Instant timestamp, boolean guest, ShutdownCause reason) implements VmEvent {
        public Shutdown {
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String name() {
            return "SHUTDOWN";
        }
    }
}
