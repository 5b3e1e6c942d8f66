package dev.jvmm.vmm;

/**
 * A {@code -device} could not be attached to the VM. The message is one line: the device, what is wrong
 * on the host and how to fix it; {@code bin/vmm} prints it and exits with 1.
 */
public final class DeviceSetupException extends RuntimeException {

    public DeviceSetupException(String message, Throwable cause) {
        super(message, cause);
    }

    public DeviceSetupException(String message) {
        super(message);
    }
}
