package dev.jvmm.pci;

import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.GuestLayout;
import java.util.Objects;

/**
 * Hands out naturally aligned BAR addresses from three windows, as firmware does before the guest
 * boots: 32-bit memory BARs from the layout's 32-bit MMIO window, 64-bit ones from the 64-bit window,
 * I/O BARs from a port range (by default 0xc000-0xffff, above the legacy ISA ports).
 *
 * <p>Memory BARs get at least a 4 KiB page each, so no two share a page: KVM memory slots and VFIO
 * BAR mmaps are page-granular, and a trapped BAR next to a mapped one must not share its page.
 * Refuses with {@link BarAllocationException} when a window is full. Thread-safe.
 */
public final class PciBarAllocator {
    public static final long DEFAULT_IO_START = 0xc000;
    public static final long DEFAULT_IO_LENGTH = 0x4000;
    private static final long PAGE = 4096;
    private static final long IO_SPACE_END = 0x1_0000;

    private final AddressWindow mmio32;
    private final AddressWindow mmio64;
    private final AddressWindow io;

    public PciBarAllocator(GpaRange mmio32Window, GpaRange mmio64Window, long ioStart, long ioLength) {
        Objects.requireNonNull(mmio32Window, "mmio32Window");
        Objects.requireNonNull(mmio64Window, "mmio64Window");
        if (Long.compareUnsigned(mmio32Window.last().value(), 0xffff_ffffL) > 0) {
            throw new IllegalArgumentException("32-bit MMIO window " + mmio32Window + " must end below 4 GiB");
        }
        if (ioStart < 0 || ioLength <= 0 || ioStart + ioLength > IO_SPACE_END) {
            throw new IllegalArgumentException(String.format("I/O window 0x%x + 0x%x must lie within 0-0xffff",
                    ioStart, ioLength));
        }
        this.mmio32 = new AddressWindow("32-bit MMIO", mmio32Window.start().value(), mmio32Window.length());
        this.mmio64 = new AddressWindow("64-bit MMIO", mmio64Window.start().value(), mmio64Window.length());
        this.io = new AddressWindow("I/O port", ioStart, ioLength);
    }

    /** The windows of {@code layout} and the default I/O port window. */
    public static PciBarAllocator forLayout(GuestLayout layout) {
        return new PciBarAllocator(layout.mmio32Window(), layout.mmio64Window(), DEFAULT_IO_START, DEFAULT_IO_LENGTH);
    }

    /** An address for a BAR of {@code type} and {@code size} (a power of two), aligned to its size. */
    public synchronized long allocate(PciBarType type, long size) {
        if (Long.bitCount(size) != 1) {
            throw new IllegalArgumentException("BAR size must be a power of two, got 0x" + Long.toHexString(size));
        }
        AddressWindow window = window(type);
        long span = type.isMemory() ? Math.max(size, PAGE) : size;
        long address = window.allocate(span, span);
        if (address < 0) {
            throw new BarAllocationException(String.format("no room for a %s BAR of 0x%x bytes in the %s (0x%x of"
                    + " 0x%x bytes in use): %s", type, size, window, window.usedBytes(), window.length(), fix(type)));
        }
        return address;
    }

    /** Returns the range at {@code address} to its window; false if nothing was allocated there. */
    public synchronized boolean release(PciBarType type, long address) {
        return window(type).release(address);
    }

    private AddressWindow window(PciBarType type) {
        return switch (Objects.requireNonNull(type, "type")) {
            case IO -> io;
            case MEMORY32 -> mmio32;
            case MEMORY64 -> mmio64;
        };
    }

    private static String fix(PciBarType type) {
        return switch (type) {
            case IO -> "give fewer devices I/O BARs; the I/O window is fixed by x86 port space";
            case MEMORY32 -> "the 32-bit window is fixed at 512 MiB; use devices with 64-bit BARs or fewer devices";
            case MEMORY64 -> "enlarge the 64-bit MMIO window of the guest layout or assign fewer devices";
        };
    }
}
