package dev.jvmm.devices;

/**
 * The machine's power button as the host presses it ({@code system_powerdown}): a device that can tell
 * the guest to shut down, such as the ACPI PM1 block ({@code dev.jvmm.acpi.AcpiPm}), which raises the
 * power-button event on the SCI. Pressing only asks; the guest may ignore it. Any thread may press.
 */
@FunctionalInterface
public interface PowerButton {
    /** Presses and releases the button. */
    void pressPowerButton();
}
