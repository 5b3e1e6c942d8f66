package dev.jvmm.pci;

/** A BAR did not fit in its address window: too many or too large devices for the guest layout. */
public final class BarAllocationException extends RuntimeException {
    BarAllocationException(String message) {
        super(message);
    }
}
