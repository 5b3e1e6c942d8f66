package dev.jvmm.pci;

import dev.jvmm.bus.BusDevice;
import dev.jvmm.bus.GuestAccessLog;
import dev.jvmm.memory.GpaRange;
import java.util.Objects;

/**
 * PCI Express enhanced configuration access (ECAM, PCIe 4.0 section 7.2.2): each function's 4 KiB
 * config space mapped in MMIO at {@code window + (bus << 20 | device << 15 | function << 12)}, the
 * window starting at bus 0 (what an ACPI MCFG entry with start bus 0 describes). Register it on the
 * MMIO bus at {@link #window()}.
 *
 * <p>Accesses of 1, 2 or 4 bytes, naturally aligned, reach the function; 8-byte aligned accesses are
 * split into two dwords. Anything else, and buses other than this one, read all-ones and drop writes.
 */
public final class PciEcam implements BusDevice {
    private static final long BYTES_PER_BUS = 1L << 20;

    private final PciBus bus;
    private final GpaRange window;
    private final GuestAccessLog ignored;

    /** ECAM for {@code bus} over {@code window}: a multiple of 1 MiB, at most 256 MiB, covering the bus. */
    public PciEcam(PciBus bus, GpaRange window) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.window = Objects.requireNonNull(window, "window");
        long length = window.length();
        if (length % BYTES_PER_BUS != 0 || length > 256 * BYTES_PER_BUS || length <= bus.number() * BYTES_PER_BUS
                || !window.start().isAligned(BYTES_PER_BUS)) {
            throw new IllegalArgumentException(String.format("ECAM window %s must be 1 MiB-aligned, a multiple of"
                    + " 1 MiB (one per bus), at most 256 MiB, and reach bus %02x", window, bus.number()));
        }
        this.ignored = new GuestAccessLog("pci ecam", System.getLogger(PciEcam.class.getName()));
    }

    public GpaRange window() {
        return window;
    }

    @Override
    public long read(long offset, int size) {
        if (size == 8 && (offset & 7) == 0) {
            return (read(offset, 4) & 0xffff_ffffL) | read(offset + 4, 4) << 32;
        }
        if (!valid(offset, size)) {
            return size >= 8 ? -1L : (1L << (8 * size)) - 1;
        }
        return bus.configRead(device(offset), function(offset), register(offset), size) & 0xffff_ffffL;
    }

    @Override
    public void write(long offset, int size, long value) {
        if (size == 8 && (offset & 7) == 0) {
            write(offset, 4, value & 0xffff_ffffL);
            write(offset + 4, 4, value >>> 32);
            return;
        }
        if (valid(offset, size)) {
            bus.configWrite(device(offset), function(offset), register(offset), size, (int) value);
        }
    }

    private boolean valid(long offset, int size) {
        boolean wellFormed = (size == 1 || size == 2 || size == 4) && (offset & (size - 1)) == 0
                && offset >= 0 && offset < window.length();
        if (!wellFormed) {
            ignored.ignored(() -> String.format("%d-byte access at ECAM offset 0x%x", size, offset));
            return false;
        }
        return offset >>> 20 == bus.number(); // other buses are empty, as enumerators expect
    }

    private static int device(long offset) {
        return (int) (offset >>> 15) & 0x1f;
    }

    private static int function(long offset) {
        return (int) (offset >>> 12) & 0x7;
    }

    private static int register(long offset) {
        return (int) offset & 0xfff;
    }
}
