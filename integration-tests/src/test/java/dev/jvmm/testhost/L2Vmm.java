package dev.jvmm.testhost;

/** A VMM that can run in L1 (on L1's real KVM and VFIO) and boot an L2 guest. */
public interface L2Vmm {
    /** Short name for messages. */
    String name();

    /**
     * A shell command (run by /bin/sh in L1, as root) that boots {@code launch}, writes the guest's serial
     * console to {@link L2Launch#consoleLog()} and returns once the guest has powered off.
     */
    String command(L2Launch launch);
}
