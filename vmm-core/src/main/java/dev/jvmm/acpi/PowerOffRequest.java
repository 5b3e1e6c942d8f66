package dev.jvmm.acpi;

/**
 * Where {@link AcpiPm} sends the guest's request to power the machine off (SLP_TYP = S5 with SLP_EN
 * written to PM1a_CNT). The VMM answers it by stopping the vCPUs and exiting; the device carries on as
 * if nothing happened, so the request may be served asynchronously. Called on the vCPU thread that did
 * the write, outside the device's lock.
 */
@FunctionalInterface
public interface PowerOffRequest {
    /** The guest asked to be powered off; {@code cause} names the register and value, for the log. */
    void request(String cause);
}
