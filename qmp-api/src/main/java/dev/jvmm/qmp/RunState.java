package dev.jvmm.qmp;

/** QEMU's {@code RunState} enumeration ({@code qapi/run-state.json}), with the wire names. */
public enum RunState {
    DEBUG("debug"),
    INMIGRATE("inmigrate"),
    INTERNAL_ERROR("internal-error"),
    IO_ERROR("io-error"),
    PAUSED("paused"),
    POSTMIGRATE("postmigrate"),
    PRELAUNCH("prelaunch"),
    FINISH_MIGRATE("finish-migrate"),
    RESTORE_VM("restore-vm"),
    RUNNING("running"),
    SAVE_VM("save-vm"),
    SHUTDOWN("shutdown"),
    SUSPENDED("suspended"),
    WATCHDOG("watchdog"),
    GUEST_PANICKED("guest-panicked"),
    COLO("colo");

    private final String wireName;

    RunState(String wireName) {
        this.wireName = wireName;
    }

    /** The name QMP uses, e.g. {@code "internal-error"}. */
    public String wireName() {
        return wireName;
    }

    /** {@code query-status} reports {@code running: true} exactly in this state. */
    public boolean running() {
        return this == RUNNING;
    }
}
