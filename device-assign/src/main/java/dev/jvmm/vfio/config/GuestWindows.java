package dev.jvmm.vfio.config;

import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.GuestLayout;
import java.util.Objects;

/**
 * Where the guest may place this device's BARs: 32-bit memory BARs (and the expansion ROM) inside
 * {@code mmio32}, 64-bit memory BARs inside {@code mmio32} or {@code mmio64}, I/O BARs inside {@code io}.
 * A BAR the guest programs anywhere else is recorded but never mapped.
 */
public record GuestWindows(GpaRange mmio32, GpaRange mmio64, IoPortRange io) {

    /** The I/O window kvmtool and Cloud Hypervisor leave to PCI devices: above the legacy ports. */
    public static final IoPortRange DEFAULT_IO_WINDOW = IoPortRange.of(0x1000, 0xf000);

    public GuestWindows {
        Objects.requireNonNull(mmio32, "mmio32");
        Objects.requireNonNull(mmio64, "mmio64");
        Objects.requireNonNull(io, "io");
        if (mmio32.overlaps(mmio64)) {
            throw new IllegalArgumentException("the 32-bit and 64-bit MMIO windows overlap: " + mmio32 + ", " + mmio64);
        }
        if (Long.compareUnsigned(mmio32.last().value(), 0xffff_ffffL) > 0) {
            throw new IllegalArgumentException("the 32-bit MMIO window must end below 4 GiB: " + mmio32);
        }
    }

    /** The layout's {@code mmio32Window()} and {@code mmio64Window()}, and {@code io}. */
    public static GuestWindows of(GuestLayout layout, IoPortRange io) {
        return new GuestWindows(layout.mmio32Window(), layout.mmio64Window(), io);
    }
}
