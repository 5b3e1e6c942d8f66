package dev.jvmm.vfio.config;

/** Reading or writing the physical device's config space failed: a host failure, never a guest's fault. */
public final class DeviceAccessException extends RuntimeException {

    public DeviceAccessException(String message, Throwable cause) {
        super(message, cause);
    }

    public DeviceAccessException(String message) {
        super(message);
    }
}
