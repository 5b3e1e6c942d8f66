package dev.jvmm.devices;

/**
 * One interrupt input of the guest's interrupt controller as a device drives it. The VMM implements it
 * with {@code KVM_IRQ_LINE} or an irqfd; tests use a recording fake.
 *
 * <p>Devices call {@link #set} only when their output level changes, so an implementation may forward
 * every call to the kernel without filtering.
 */
public interface IrqLine {
    /** Drives the line: {@code true} asserts it, {@code false} deasserts it. */
    void set(boolean asserted);

    /** An edge: asserts then deasserts the line, for edge-triggered inputs. */
    default void pulse() {
        set(true);
        set(false);
    }
}
