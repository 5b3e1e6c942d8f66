package dev.jvmm.memory;

import static dev.jvmm.memory.AddressMath.hex;
import static dev.jvmm.memory.AddressMath.size;
import static dev.jvmm.memory.GuestLayout.GIB;
import static dev.jvmm.memory.GuestLayout.KIB;
import static dev.jvmm.memory.GuestLayout.MIB;

/** Validation of {@link GuestLayout}'s inputs; each message says what to pass instead. */
final class LayoutChecks {

    private LayoutChecks() {
    }

    static void checkPageSize(long pageSize) {
        if (pageSize != 4 * KIB && pageSize != 2 * MIB && pageSize != GIB) {
            throw new IllegalArgumentException("page size " + hex(pageSize) + " is not an x86 page size: "
                    + "pass 4 KiB (4096), 2 MiB (2097152) or 1 GiB (1073741824)");
        }
    }

    static void checkRamSize(long ramBytes, long pageSize) {
        if (ramBytes <= 0) {
            throw new IllegalArgumentException("RAM size must be positive, got " + ramBytes
                    + ": pass at least " + size(minimumRam(pageSize)));
        }
        if (ramBytes < GuestLayout.MIN_RAM) {
            throw new IllegalArgumentException("RAM size " + size(ramBytes) + " is below the minimum: "
                    + "pass at least " + size(minimumRam(pageSize)));
        }
        long remainder = ramBytes % pageSize;
        if (remainder != 0) {
            long down = ramBytes - remainder;
            String lower = down >= GuestLayout.MIN_RAM ? size(down) + " (" + down + " bytes) or " : "";
            throw new IllegalArgumentException("RAM size " + ramBytes + " bytes is not a multiple of the "
                    + size(pageSize) + " page size: pass " + lower + size(down + pageSize) + " ("
                    + (down + pageSize) + " bytes)");
        }
    }

    static void checkPhysAddressBits(int bits) {
        if (bits < GuestLayout.MIN_PHYS_ADDRESS_BITS || bits > GuestLayout.MAX_PHYS_ADDRESS_BITS) {
            throw new IllegalArgumentException("guest physical address width " + bits + " bits is outside "
                    + "what x86-64 defines: pass " + GuestLayout.MIN_PHYS_ADDRESS_BITS + " to "
                    + GuestLayout.MAX_PHYS_ADDRESS_BITS + ", at most the host's (CPUID 0x80000008 EAX[7:0])");
        }
    }

    static void checkMmio64Size(long mmio64Bytes) {
        if (mmio64Bytes < GIB || mmio64Bytes % GIB != 0
                || mmio64Bytes > 1L << GuestLayout.MAX_PHYS_ADDRESS_BITS) {
            throw new IllegalArgumentException("64-bit MMIO window size " + hex(mmio64Bytes) + " is not a "
                    + "whole number of GiB between 1 GiB and 4 PiB: pass e.g. "
                    + size(GuestLayout.DEFAULT_MMIO64_SIZE));
        }
    }

    static void checkBelowAddressLimit(long ramBytes, GpaRange mmio64, int bits, long pageSize) {
        long limit = 1L << bits;
        if (Long.compareUnsigned(mmio64.last().value(), limit - 1) <= 0) {
            return;
        }
        // RAM r ends at 4 GiB + r - 3 GiB; the window starts at the next 1 GiB boundary.
        long maxRam = limit - mmio64.length() - GIB;
        String shrinkRam = maxRam >= 3 * GIB && maxRam >= minimumRam(pageSize)
                ? "pass at most " + size(maxRam) + " of RAM, " : "";
        throw new IllegalArgumentException(size(ramBytes) + " of RAM and a " + size(mmio64.length())
                + " 64-bit MMIO window " + mmio64 + " reach past 2^" + bits + " (" + hex(limit)
                + "), the limit of " + bits + "-bit guest physical addresses: " + shrinkRam
                + "a smaller 64-bit MMIO window, or more address bits if the host CPU has them");
    }

    private static long minimumRam(long pageSize) {
        return Math.max(GuestLayout.MIN_RAM, pageSize);
    }
}
