package dev.jvmm.bus;

/**
 * A device claiming a range on a {@link Bus}. Offsets are relative to the start of the claimed range;
 * sizes are 1, 2, 4 or 8 bytes. Values are little-endian and zero-extended.
 */
public interface BusDevice {
    long read(long offset, int size);

    void write(long offset, int size, long value);
}
