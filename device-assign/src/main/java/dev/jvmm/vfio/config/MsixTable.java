package dev.jvmm.vfio.config;

import static dev.jvmm.vfio.config.PciRegs.PCI_MSIX_ENTRY_CTRL_MASKBIT;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSIX_ENTRY_DATA;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSIX_ENTRY_LOWER_ADDR;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSIX_ENTRY_SIZE;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSIX_ENTRY_UPPER_ADDR;
import static dev.jvmm.vfio.config.PciRegs.PCI_MSIX_ENTRY_VECTOR_CTRL;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The guest's MSI-X table, emulated: the VMM traps guest accesses to
 * {@code [tableOffset, tableOffset + tableSize)} of BAR {@code tableBar} and hands them here with offsets
 * relative to the table (vfio-pci does not let the table be mmap'ed; the device's real table is
 * programmed through {@code VFIO_DEVICE_SET_IRQS}). The pending bit array is read-only device state: the
 * VMM passes those reads to the device.
 *
 * <p>Accesses are 4 or 8 bytes, naturally aligned (PCI 3.0 6.8.2); others read all ones and are dropped,
 * counted. Entries start masked with address and data 0 (PCI 3.0 6.8.2.9). While MSI-X is enabled every
 * change of an entry's address, data or mask bit is reported with
 * {@link InterruptListener#msixVectorChanged}.
 */
public final class MsixTable {

    private final int tableBar;
    private final long tableOffset;
    private final int pbaBar;
    private final long pbaOffset;
    private final long[] address;
    private final int[] data;
    private final int[] control;
    private final BooleanSupplier enabled;
    private final InterruptListener listener;
    private final RateLimitedLog badAccesses = new RateLimitedLog();

    MsixTable(int vectors, int tableBar, long tableOffset, int pbaBar, long pbaOffset, BooleanSupplier enabled,
              InterruptListener listener) {
        this.tableBar = tableBar;
        this.tableOffset = tableOffset;
        this.pbaBar = pbaBar;
        this.pbaOffset = pbaOffset;
        this.address = new long[vectors];
        this.data = new int[vectors];
        this.control = new int[vectors];
        this.enabled = enabled;
        this.listener = listener;
        reset();
    }

    /** Every entry back to its reset state: masked, address and data 0. Reports nothing. */
    void reset() {
        Arrays.fill(address, 0);
        Arrays.fill(data, 0);
        Arrays.fill(control, PCI_MSIX_ENTRY_CTRL_MASKBIT);
    }

    public int vectorCount() { return control.length; }
    /** The BAR index holding the table. */
    public int tableBar() { return tableBar; }
    public long tableOffset() { return tableOffset; }
    public long tableSize() { return (long) control.length * PCI_MSIX_ENTRY_SIZE; }
    /** The BAR index holding the pending bit array. */
    public int pbaBar() { return pbaBar; }
    public long pbaOffset() { return pbaOffset; }
    /** One bit per vector, in whole 8-byte words. */
    public long pbaSize() { return ((control.length + 63) / 64) * 8L; }

    public MsiVector vector(int index) {
        return new MsiVector(index, address[index], data[index], (control[index] & PCI_MSIX_ENTRY_CTRL_MASKBIT) != 0);
    }

    public List<MsiVector> vectors() {
        List<MsiVector> all = new ArrayList<>(control.length);
        for (int i = 0; i < control.length; i++) {
            all.add(vector(i));
        }
        return List.copyOf(all);
    }

    /** A guest read of {@code size} bytes at {@code offset} into the table. */
    public long read(long offset, int size) {
        if (!valid(offset, size)) {
            badAccesses.event(System.Logger.Level.DEBUG, () -> "bad " + size + "-byte MSI-X table read at 0x"
                    + Long.toHexString(offset));
            return size == 8 ? -1L : 0xffff_ffffL;
        }
        if (size == 8) {
            return Integer.toUnsignedLong(dword(offset)) | (Integer.toUnsignedLong(dword(offset + 4)) << 32);
        }
        return Integer.toUnsignedLong(dword(offset));
    }

    /** A guest write of {@code size} bytes at {@code offset} into the table. */
    public void write(long offset, int size, long value) {
        if (!valid(offset, size)) {
            badAccesses.event(System.Logger.Level.DEBUG, () -> "bad " + size + "-byte MSI-X table write at 0x"
                    + Long.toHexString(offset));
            return;
        }
        int entry = (int) (offset / PCI_MSIX_ENTRY_SIZE);
        MsiVector before = vector(entry);
        setDword(offset, (int) value);
        if (size == 8) {
            setDword(offset + 4, (int) (value >>> 32));
        }
        MsiVector after = vector(entry);
        if (enabled.getAsBoolean() && !after.equals(before)) {
            listener.msixVectorChanged(after);
        }
    }

    /** Bad accesses so far. */
    public long badAccesses() {
        return badAccesses.count();
    }

    private boolean valid(long offset, int size) {
        return (size == 4 || size == 8) && offset >= 0 && offset % size == 0 && offset + size <= tableSize();
    }

    private int dword(long offset) {
        int entry = (int) (offset / PCI_MSIX_ENTRY_SIZE);
        return switch ((int) (offset % PCI_MSIX_ENTRY_SIZE)) {
            case PCI_MSIX_ENTRY_LOWER_ADDR -> (int) address[entry];
            case PCI_MSIX_ENTRY_UPPER_ADDR -> (int) (address[entry] >>> 32);
            case PCI_MSIX_ENTRY_DATA -> data[entry];
            case PCI_MSIX_ENTRY_VECTOR_CTRL -> control[entry];
            default -> throw new IllegalStateException("unaligned MSI-X entry offset " + offset);
        };
    }

    private void setDword(long offset, int value) {
        int entry = (int) (offset / PCI_MSIX_ENTRY_SIZE);
        switch ((int) (offset % PCI_MSIX_ENTRY_SIZE)) {
            // PCI 3.0 6.8.2.5: address bits 1:0 are reserved 0 (DWORD-aligned messages)
            case PCI_MSIX_ENTRY_LOWER_ADDR -> address[entry] = (address[entry] & 0xffff_ffff_0000_0000L)
                    | Integer.toUnsignedLong(value & ~3);
            case PCI_MSIX_ENTRY_UPPER_ADDR -> address[entry] = (address[entry] & 0xffff_ffffL)
                    | (Integer.toUnsignedLong(value) << 32);
            case PCI_MSIX_ENTRY_DATA -> data[entry] = value;
            // PCI 3.0 6.8.2.9: only the mask bit is defined; the rest is reserved 0
            case PCI_MSIX_ENTRY_VECTOR_CTRL -> control[entry] = value & PCI_MSIX_ENTRY_CTRL_MASKBIT;
            default -> throw new IllegalStateException("unaligned MSI-X entry offset " + offset);
        }
    }
}
