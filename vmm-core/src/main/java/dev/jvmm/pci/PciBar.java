package dev.jvmm.pci;

import java.util.OptionalLong;

/**
 * One base address register as the guest has programmed it: its fixed definition (index, type, size,
 * prefetchable) and its current address, plus where it decodes right now.
 *
 * <p>{@code decoding} is empty while the BAR does not claim addresses: its space is disabled in the
 * Command register, its address is 0 (unassigned), or the range does not fit where the type can decode
 * (a 32-bit BAR reaching 4 GiB, which is also what the all-ones sizing pattern looks like, an I/O BAR
 * past 0xffff, a 64-bit BAR wrapping past 2^64).
 */
public record PciBar(int index, PciBarType type, long size, boolean prefetchable, long address,
        OptionalLong decoding) {
}
