package dev.jvmm.vfio.host;

/** Text that should name a PCI function does not; the message shows the expected form. */
public final class PciAddressException extends IllegalArgumentException {

    public PciAddressException(String message) {
        super(message);
    }
}
