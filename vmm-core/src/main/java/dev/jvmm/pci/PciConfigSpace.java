package dev.jvmm.pci;

import static dev.jvmm.pci.PciRegisters.CAPABILITY_LIST;
import static dev.jvmm.pci.PciRegisters.EXTENDED_CAPABILITIES;
import static dev.jvmm.pci.PciRegisters.FIRST_CAPABILITY;
import static dev.jvmm.pci.PciRegisters.HEADER_TYPE;
import static dev.jvmm.pci.PciRegisters.HEADER_TYPE_MULTI_FUNCTION;
import static dev.jvmm.pci.PciRegisters.INTERRUPT_PIN;
import static dev.jvmm.pci.PciRegisters.STATUS;
import static dev.jvmm.pci.PciRegisters.STATUS_CAP_LIST;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The configuration space of one PCI function as a register array plus two per-byte masks, after Cloud
 * Hypervisor's {@code PciConfiguration}: {@code writable} bits take the guest's value, {@code
 * writeOneToClear} bits clear where the guest writes 1 (status error bits), every other bit keeps its
 * value whatever the guest writes.
 *
 * <p>Two faces. Guest accesses ({@link #read}, {@link #write}) accept anything and never throw: bytes
 * outside the space read 0xff, writes to them are dropped, sizes other than 1-4 read all-ones. Host
 * set-up ({@link #set}, {@link #setWritable}, {@link #addBar}, {@link #addCapability}, ...) ignores the
 * masks and throws on a programming error, naming it.
 *
 * <p>Not thread-safe: {@link PciBus} serializes guest accesses; set a space up before adding its device.
 */
public final class PciConfigSpace {
    /** Conventional PCI: the 64-byte header and 192 bytes of capabilities. */
    public static final int CONVENTIONAL_SIZE = 256;
    /** PCI Express: adds extended capabilities from 0x100, reachable through ECAM only. */
    public static final int EXTENDED_SIZE = 4096;

    private final byte[] registers;
    private final byte[] writable;
    private final byte[] writeOneToClear;
    private final BarRegisters bars = new BarRegisters(this);
    /** Offset and length (header included) of the last capability added, 0 when none. */
    private int lastCapability;
    private int lastCapabilityLength;
    private int lastExtendedCapability;
    private int lastExtendedCapabilityLength;

    /** An all-zero, all-read-only space of {@link #CONVENTIONAL_SIZE} or {@link #EXTENDED_SIZE} bytes. */
    public PciConfigSpace(int size) {
        if (size != CONVENTIONAL_SIZE && size != EXTENDED_SIZE) {
            throw new IllegalArgumentException("config space is 256 bytes (PCI) or 4096 bytes (PCIe), not " + size);
        }
        registers = new byte[size];
        writable = new byte[size];
        writeOneToClear = new byte[size];
    }

    /** A type 0 (endpoint) header carrying {@code identity}, with the standard writable fields. */
    public static PciConfigSpace type0(PciIdentity identity, int size) {
        PciConfigSpace config = new PciConfigSpace(size);
        Type0Header.apply(config, Objects.requireNonNull(identity, "identity"));
        return config;
    }

    public int size() {
        return registers.length;
    }

    // ---- guest accesses -------------------------------------------------------------------------

    /**
     * A guest read of {@code size} bytes at {@code offset}, little-endian. Bytes past the end read
     * 0xff (what an absent extended space looks like); sizes other than 1-4 read all-ones.
     */
    public int read(int offset, int size) {
        if (size < 1 || size > 4) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < size; i++) {
            long o = (long) offset + i;
            int b = o >= 0 && o < registers.length ? registers[(int) o] & 0xff : 0xff;
            value |= b << (8 * i);
        }
        return value;
    }

    /**
     * A guest write: each bit takes {@code value} where writable, clears where write-1-to-clear and
     * {@code value} has a 1, and otherwise keeps its value. Out-of-range or odd-sized writes are dropped.
     */
    public void write(int offset, int size, int value) {
        if (size < 1 || size > 4 || offset < 0 || offset > registers.length - size) {
            return;
        }
        for (int i = 0; i < size; i++) {
            int o = offset + i;
            int v = (value >>> (8 * i)) & 0xff;
            int w = writable[o] & 0xff;
            int c = writeOneToClear[o] & 0xff;
            registers[o] = (byte) ((registers[o] & ~w & ~(v & c)) | (v & w));
        }
    }

    // ---- host set-up ----------------------------------------------------------------------------

    /** The current value of {@code size} (1-4) bytes at {@code offset}. */
    public int get(int offset, int size) {
        checkRange(offset, size);
        return read(offset, size);
    }

    /** Sets {@code size} bytes at {@code offset} to {@code value}, masks notwithstanding (device-side update). */
    public void set(int offset, int size, int value) {
        checkRange(offset, size);
        store(registers, offset, size, value);
    }

    /** Sets which bits of the {@code size} bytes at {@code offset} the guest may write. */
    public void setWritable(int offset, int size, int mask) {
        checkRange(offset, size);
        store(writable, offset, size, mask);
    }

    /** Sets which bits of the {@code size} bytes at {@code offset} the guest clears by writing 1. */
    public void setWriteOneToClear(int offset, int size, int mask) {
        checkRange(offset, size);
        store(writeOneToClear, offset, size, mask);
    }

    public int writableMask(int offset, int size) {
        checkRange(offset, size);
        return load(writable, offset, size);
    }

    public int writeOneToClearMask(int offset, int size) {
        checkRange(offset, size);
        return load(writeOneToClear, offset, size);
    }

    /** Sets the Interrupt Pin register: 0 for none, 1-4 for INTA#-INTD#. */
    public void setInterruptPin(int pin) {
        if (pin < 0 || pin > 4) {
            throw new IllegalArgumentException("interrupt pin is 0 (none) or 1-4 (INTA#-INTD#), got " + pin);
        }
        set(INTERRUPT_PIN, 1, pin);
    }

    /** Sets header type bit 7, which function 0 needs for enumerators to look at functions 1-7. */
    public void setMultiFunction(boolean multiFunction) {
        int type = get(HEADER_TYPE, 1) & ~HEADER_TYPE_MULTI_FUNCTION;
        set(HEADER_TYPE, 1, type | (multiFunction ? HEADER_TYPE_MULTI_FUNCTION : 0));
    }

    // ---- capabilities ---------------------------------------------------------------------------

    /**
     * Appends a capability with ID {@code id} to the list (section 6.7): its two header bytes (ID and
     * next pointer) followed by {@code body}, placed at the next dword boundary from 0x40, linked from
     * the previous capability or from the Capabilities Pointer, with Status.CapList set. The body is
     * read-only until opened with {@link #setWritable}. Returns the capability's offset.
     */
    public int addCapability(int id, byte[] body) {
        if (id < 0 || id > 0xff) {
            throw new IllegalArgumentException("capability ID is one byte, got 0x" + Integer.toHexString(id));
        }
        int offset = lastCapability == 0 ? FIRST_CAPABILITY : align4(lastCapability + lastCapabilityLength);
        int length = 2 + body.length;
        if (offset + length > CONVENTIONAL_SIZE) {
            throw new IllegalArgumentException(String.format("capability 0x%02x of %d bytes does not fit at 0x%02x:"
                    + " capabilities end at 0xff; put it in extended space or shrink it", id, length, offset));
        }
        set(offset, 1, id);
        set(offset + 1, 1, 0);
        System.arraycopy(body, 0, registers, offset + 2, body.length);
        if (lastCapability == 0) {
            set(CAPABILITY_LIST, 1, offset);
        } else {
            set(lastCapability + 1, 1, offset);
        }
        set(STATUS, 2, get(STATUS, 2) | STATUS_CAP_LIST);
        lastCapability = offset;
        lastCapabilityLength = length;
        return offset;
    }

    /**
     * Appends a PCIe extended capability (section 7.6 of PCIe 4.0): a dword header holding {@code id},
     * {@code version} and the next offset, followed by {@code body}, from 0x100 on. Needs a 4 KiB space.
     * Returns the capability's offset.
     */
    public int addExtendedCapability(int id, int version, byte[] body) {
        if (registers.length != EXTENDED_SIZE) {
            throw new IllegalArgumentException("extended capabilities need a 4096-byte (PCIe) config space");
        }
        if (id < 0 || id > 0xffff || version < 0 || version > 0xf) {
            throw new IllegalArgumentException(String.format("extended capability ID is 16 bits and version 4 bits,"
                    + " got ID 0x%x version %d", id, version));
        }
        int offset = lastExtendedCapability == 0 ? EXTENDED_CAPABILITIES
                : align4(lastExtendedCapability + lastExtendedCapabilityLength);
        if (offset + 4 + body.length > EXTENDED_SIZE) {
            throw new IllegalArgumentException(String.format("extended capability 0x%04x of %d bytes does not fit at"
                    + " 0x%03x", id, 4 + body.length, offset));
        }
        set(offset, 4, id | version << 16);
        System.arraycopy(body, 0, registers, offset + 4, body.length);
        if (lastExtendedCapability != 0) {
            int header = get(lastExtendedCapability, 4);
            set(lastExtendedCapability, 4, (header & 0x000f_ffff) | offset << 20);
        }
        lastExtendedCapability = offset;
        lastExtendedCapabilityLength = 4 + body.length;
        return offset;
    }

    // ---- BARs -----------------------------------------------------------------------------------

    /**
     * Declares BAR {@code index} (0-5; a 64-bit BAR also takes {@code index + 1}) of {@code size} bytes,
     * a power of two: 4-256 for I/O, at least 16 for memory, at most 2 GiB below 4 GiB. Its address
     * starts at 0 (unassigned).
     */
    public void addBar(int index, PciBarType type, long size, boolean prefetchable) {
        bars.add(index, Objects.requireNonNull(type, "type"), size, prefetchable);
    }

    /** Programs BAR {@code index} to {@code address} (naturally aligned, fitting its type), as firmware would. */
    public void setBarAddress(int index, long address) {
        bars.setAddress(index, address);
    }

    /**
     * Gives every BAR an address from {@code allocator}, all or none: if one does not fit, the ranges
     * already taken are released and the exception propagates.
     */
    public void assignBars(PciBarAllocator allocator) {
        List<PciBar> assigned = new ArrayList<>();
        try {
            for (PciBar bar : bars.all()) {
                long address = allocator.allocate(bar.type(), bar.size());
                assigned.add(bar);
                try {
                    bars.setAddress(bar.index(), address);
                } catch (RuntimeException e) {
                    allocator.release(bar.type(), address);
                    assigned.removeLast();
                    throw e;
                }
            }
        } catch (RuntimeException e) {
            for (PciBar bar : assigned) {
                allocator.release(bar.type(), bars.bar(bar.index()).orElseThrow().address());
                bars.setAddress(bar.index(), 0);
            }
            throw e;
        }
    }

    /** The declared BARs in index order, with their current addresses and decoding state. */
    public List<PciBar> bars() {
        return bars.all();
    }

    public Optional<PciBar> bar(int index) {
        return bars.bar(index);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private void checkRange(int offset, int size) {
        if (size < 1 || size > 4 || offset < 0 || offset > registers.length - size) {
            throw new IllegalArgumentException(String.format("config access of %d bytes at 0x%x is outside the"
                    + " 0x%x-byte space or not 1-4 bytes", size, offset, registers.length));
        }
    }

    private static void store(byte[] array, int offset, int size, int value) {
        for (int i = 0; i < size; i++) {
            array[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    private static int load(byte[] array, int offset, int size) {
        int value = 0;
        for (int i = 0; i < size; i++) {
            value |= (array[offset + i] & 0xff) << (8 * i);
        }
        return value;
    }

    private static int align4(int offset) {
        return (offset + 3) & ~3;
    }
}
