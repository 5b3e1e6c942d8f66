package dev.jvmm.vmm;

/**
 * Why a VM shut down or reset: QEMU's {@code ShutdownCause} ({@code qapi/run-state.json}), so control
 * channels can report it under QEMU's names ({@link #qemuName()}).
 */
public enum ShutdownCause {
    /** No reason was recorded (a host stop that did not come through the control plane). */
    NONE("none"),
    /** The VMM or KVM failed. */
    HOST_ERROR("host-error"),
    /** A control client asked the VMM to quit. */
    HOST_QMP_QUIT("host-qmp-quit"),
    /** A control client asked for a reset. */
    HOST_QMP_SYSTEM_RESET("host-qmp-system-reset"),
    /** SIGTERM or SIGINT. */
    HOST_SIGNAL("host-signal"),
    /** The guest powered itself off. */
    GUEST_SHUTDOWN("guest-shutdown"),
    /** The guest reset the machine (i8042, port 0x92, triple fault, KVM system event). */
    GUEST_RESET("guest-reset");

    private final String qemuName;

    ShutdownCause(String qemuName) {
        this.qemuName = qemuName;
    }

    /** QEMU's spelling, e.g. {@code host-qmp-quit}. */
    public String qemuName() {
        return qemuName;
    }
}
