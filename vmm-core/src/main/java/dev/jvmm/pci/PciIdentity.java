package dev.jvmm.pci;

/**
 * The read-only identity of a PCI function (header bytes 0x00-0x0b and 0x2c-0x2f): vendor and device,
 * revision, 24-bit class code (base class, subclass, programming interface) and subsystem IDs.
 */
public record PciIdentity(int vendorId, int deviceId, int revisionId, int classCode, int subsystemVendorId,
        int subsystemId) {

    /** Base class 0x06, subclass 0x00: host bridge. */
    public static final int CLASS_HOST_BRIDGE = 0x06_00_00;

    public PciIdentity {
        check("vendor ID", vendorId, 0xffff);
        check("device ID", deviceId, 0xffff);
        check("revision ID", revisionId, 0xff);
        check("class code", classCode, 0xff_ffff);
        check("subsystem vendor ID", subsystemVendorId, 0xffff);
        check("subsystem ID", subsystemId, 0xffff);
        if (vendorId == 0xffff) {
            throw new IllegalArgumentException("vendor ID 0xffff means \"no device\" to every PCI enumerator");
        }
    }

    private static void check(String what, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(String.format("PCI %s must be 0-0x%x, got 0x%x", what, max, value));
        }
    }
}
