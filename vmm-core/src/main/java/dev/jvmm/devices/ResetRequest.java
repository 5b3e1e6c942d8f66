package dev.jvmm.devices;

/**
 * Where a device sends the guest's request to reset the machine (the i8042 pulsing its reset line, a
 * write to port 0x92). The VMM answers it by stopping the vCPUs and rebooting or exiting; the device
 * itself carries on as if nothing happened, so the request may be served asynchronously.
 */
@FunctionalInterface
public interface ResetRequest {
    /** The guest asked for a reset; {@code cause} names the device and register, for the log. */
    void request(String cause);
}
