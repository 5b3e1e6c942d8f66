package dev.jvmm.qmp;

/**
 * A bridge forwarding window ({@code PciMemoryRange}): {@code base} and {@code limit} as QEMU prints them
 * (64-bit values, signed on the wire). A closed window has {@code base > limit}.
 */
public record PciMemoryRange(long base, long limit) {
}
