package dev.jvmm.boot;

/**
 * The kernel, command line and initrd do not fit the guest as configured: the message gives the
 * numbers and the fix (a larger {@code -m}, a shorter command line, a smaller initrd).
 */
public final class BootSetupException extends RuntimeException {
    public BootSetupException(String message) {
        super(message);
    }

    public BootSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
