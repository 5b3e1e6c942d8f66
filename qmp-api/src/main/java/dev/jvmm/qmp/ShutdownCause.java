package dev.jvmm.qmp;

/** QEMU's {@code ShutdownCause} ({@code qapi/run-state.json}): why a SHUTDOWN or RESET happened. */
public enum ShutdownCause {
    NONE("none"),
    HOST_ERROR("host-error"),
    HOST_QMP_QUIT("host-qmp-quit"),
    HOST_QMP_SYSTEM_RESET("host-qmp-system-reset"),
    HOST_SIGNAL("host-signal"),
    HOST_UI("host-ui"),
    GUEST_SHUTDOWN("guest-shutdown"),
    GUEST_RESET("guest-reset"),
    GUEST_PANIC("guest-panic"),
    SUBSYSTEM_RESET("subsystem-reset"),
    SNAPSHOT_LOAD("snapshot-load");

    private final String wireName;

    ShutdownCause(String wireName) {
        this.wireName = wireName;
    }

    /** The name QMP uses, e.g. {@code "host-qmp-quit"}. */
    public String wireName() {
        return wireName;
    }
}
