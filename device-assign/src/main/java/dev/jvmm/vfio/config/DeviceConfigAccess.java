package dev.jvmm.vfio.config;

/**
 * Raw access to the physical device's configuration space: the narrow interface config-space
 * virtualization needs. The VFIO implementation preads/pwrites the device fd at the config region's
 * offset ({@code VFIO_PCI_CONFIG_REGION_INDEX}); tests use a model of a device.
 *
 * <p>Accesses are 1, 2 or 4 bytes, little-endian, never crossing a 4-byte boundary; values are
 * zero-extended into the {@code int}. A failure to reach the device is a host failure and is thrown
 * (as {@link DeviceAccessException}), never swallowed.
 */
public interface DeviceConfigAccess {

    /** Reads {@code width} bytes at {@code offset}. */
    int read(int offset, int width);

    /** Writes the low {@code width} bytes of {@code value} at {@code offset}. */
    void write(int offset, int width, int value);
}
