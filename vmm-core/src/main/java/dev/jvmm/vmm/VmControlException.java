package dev.jvmm.vmm;

/**
 * A control request the VM cannot carry out; the message says why and, where there is one, what to do
 * instead. Control channels show it to their client as is.
 */
public class VmControlException extends RuntimeException {
    public VmControlException(String message) {
        super(message);
    }

    public VmControlException(String message, Throwable cause) {
        super(message, cause);
    }
}
