package dev.jvmm.vmm;

/** Where a VM run stands, as the control plane reports it (QEMU's {@code RunState} names, lower case). */
public enum RunStatus {
    /** The vCPUs run (or are being started). */
    RUNNING,
    /** The host paused every vCPU; the guest clock stands still. */
    PAUSED,
    /** The VM has ended (powered off, quit, stopped by a signal, or a reset under {@code -no-reboot}). */
    SHUTDOWN,
    /** The VM ended because KVM or the VMM failed. */
    INTERNAL_ERROR
}
