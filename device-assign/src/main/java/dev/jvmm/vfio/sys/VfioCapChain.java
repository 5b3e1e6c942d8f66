package dev.jvmm.vfio.sys;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Walks the capability chain that follows a VFIO INFO struct in the same buffer: the INFO struct's
 * {@code cap_offset} names the first {@link VfioInfoCapHeader}, each header's {@code next} the following
 * one, 0 ends the chain; all offsets count from the start of the buffer.
 *
 * <p>The chain comes from the kernel, so a malformed one is a host failure and throws
 * {@link IllegalStateException}: an entry that does not fit in the buffer, is not 4-byte aligned, or does
 * not lie after its predecessor (the kernel appends entries, so offsets rise; this also rules out loops).
 */
public final class VfioCapChain {

    /** One capability: its ID and version from the header, and where the header starts in the buffer. */
    public record Cap(int id, int version, long offset) {}

    private VfioCapChain() {}

    /** Every capability in the chain starting at {@code firstOffset} (0: none), in chain order. */
    public static List<Cap> walk(MemorySegment info, int firstOffset) {
        List<Cap> caps = new ArrayList<>();
        long offset = Integer.toUnsignedLong(firstOffset);
        long previousEnd = 0;
        while (offset != 0) {
            long headerSize = VfioInfoCapHeader.LAYOUT.byteSize();
            if (offset < previousEnd || offset % 4 != 0 || offset > info.byteSize() - headerSize) {
                throw new IllegalStateException("malformed VFIO capability chain: entry " + caps.size()
                        + " at offset " + offset + " (after " + caps + ") is unaligned, overlaps its predecessor"
                        + " or does not fit the " + info.byteSize() + "-byte info buffer");
            }
            MemorySegment header = info.asSlice(offset, VfioInfoCapHeader.LAYOUT);
            caps.add(new Cap(VfioInfoCapHeader.id(header), VfioInfoCapHeader.version(header), offset));
            previousEnd = offset + headerSize;
            offset = Integer.toUnsignedLong(VfioInfoCapHeader.next(header));
        }
        return List.copyOf(caps);
    }

    /** The first capability with {@code id}, if the chain has one. */
    public static Optional<Cap> find(MemorySegment info, int firstOffset, int id) {
        return walk(info, firstOffset).stream().filter(c -> c.id() == id).findFirst();
    }

    /**
     * The capability's struct, from its header to the end of the buffer (so a trailing flexible array is
     * reachable); throws if the buffer cannot hold {@code layout} there.
     *
     * <p>Kernels before 6.7 append capabilities without aligning them (Linux commit "vfio: Align
     * capability structures"): on 6.1, type1's IOVA-range capability follows the 12-byte DMA-available
     * one at offset 68, so its {@code __u64} ranges are only 4-byte aligned. Such a capability is copied
     * into a fresh 8-byte-aligned buffer; the copy is a snapshot, which is all decoding needs.
     */
    public static MemorySegment slice(MemorySegment info, Cap cap, StructLayout layout) {
        if (cap.offset() > info.byteSize() - layout.byteSize()) {
            throw new IllegalStateException("VFIO capability " + cap + " does not fit " + layout.name().orElse("?")
                    + " (" + layout.byteSize() + " bytes) in the " + info.byteSize() + "-byte info buffer");
        }
        MemorySegment tail = info.asSlice(cap.offset());
        if (tail.address() % layout.byteAlignment() == 0) {
            return tail;
        }
        if (layout.byteAlignment() > Long.BYTES) {
            throw new IllegalStateException("VFIO capability " + cap + " is not aligned to the "
                    + layout.byteAlignment() + " bytes " + layout.name().orElse("?") + " needs");
        }
        MemorySegment copy = MemorySegment.ofArray(new long[(int) ((tail.byteSize() + Long.BYTES - 1) / Long.BYTES)])
                .asSlice(0, tail.byteSize());
        copy.copyFrom(tail);
        return copy;
    }
}
