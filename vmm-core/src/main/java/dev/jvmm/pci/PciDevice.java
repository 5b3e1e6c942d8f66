package dev.jvmm.pci;

import java.util.List;
import java.util.OptionalLong;

/**
 * A PCI function on a {@link PciBus}: an emulated device or an assigned host device. The bus calls it
 * on vCPU threads, one access at a time.
 *
 * <p>Config accesses come straight from the guest: {@code offset} is 0-4095 and {@code size} 1, 2 or 4
 * without crossing a dword. Implementations must not throw for any of them; reads past the function's
 * space return all-ones.
 */
public interface PciDevice {
    /** A name for messages, e.g. "virtio-net" or "vfio 0000:06:0d.1". */
    String name();

    int configRead(int offset, int size);

    void configWrite(int offset, int size, int value);

    /** The function's BARs as the guest has programmed them (usually {@link PciConfigSpace#bars()}). */
    List<PciBar> bars();

    /**
     * Called by {@link PciBus} after a guest config write changed where BAR {@code index} decodes: an
     * empty address means "not decoding" (space disabled in Command, unassigned, or being sized). Moves
     * come in the order the guest makes them; a device mapping BARs unmaps the old range and maps the
     * new one. The new range may overlap another device's if the guest programs it so: that is the
     * guest's error, to be refused without throwing.
     */
    default void barMoved(int index, OptionalLong oldAddress, OptionalLong newAddress) {
    }
}
