package dev.jvmm.vfio.config;

import java.util.List;

/**
 * Told when the guest's MSI or MSI-X programming changes, so the VMM can reconcile the host side
 * ({@code VFIO_DEVICE_SET_IRQS} eventfds, KVM irqfd routes). Called on the thread doing the guest
 * access, after the emulated registers have changed; only real changes are reported.
 */
public interface InterruptListener {

    /**
     * MSI was enabled or disabled, or its number of vectors changed: {@code vectors} is every enabled
     * vector, empty when MSI is off.
     */
    void msiConfigured(List<MsiVector> vectors);

    /** The address, data or mask of one vector changed while MSI stays enabled with the same count. */
    void msiVectorChanged(MsiVector vector);

    /** MSI-X enable or function mask changed; the vectors are in {@link MsixTable#vectors()}. */
    void msixConfigured(boolean enabled, boolean functionMasked);

    /** One MSI-X table entry changed while MSI-X is enabled. */
    void msixVectorChanged(MsiVector vector);
}
