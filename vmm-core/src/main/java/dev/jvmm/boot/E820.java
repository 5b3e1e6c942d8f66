package dev.jvmm.boot;

import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.GuestLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The e820 memory map given to the guest kernel for a {@link GuestLayout}.
 *
 * <p>Entries, sorted by address:
 * <ul>
 *   <li>RAM [0, 0x9fc00): conventional memory below the EBDA;</li>
 *   <li>reserved [0x9fc00, 1 MiB) ({@link LowMemory#LEGACY_RESERVED}). Firecracker's choice: the range is
 *       RAM in the memory slot, but on a PC it holds the EBDA, VGA memory, option ROMs and the BIOS, and
 *       here it holds the MP table (at 0x9fc00, where Linux scans for it) and the ACPI tables (from
 *       0xe0000). Marking it reserved keeps the guest from allocating over them, and shows the guest the same map it would see on real
 *       hardware (Linux reserves 640 KiB - 1 MiB in any case). Leaving it out entirely (an e820 hole, as
 *       older Firecracker did) also works; reserved is explicit and appears in /proc/iomem;</li>
 *   <li>RAM [1 MiB, end of low RAM) when low RAM reaches past 1 MiB;</li>
 *   <li>reserved: the PCIe ECAM window. Linux uses MMCONFIG only when its window is reserved in e820 (or
 *       in ACPI), so reserving it here is what lets a guest find extended config space;</li>
 *   <li>RAM [4 GiB, ...): high RAM, when RAM exceeds 3 GiB.</li>
 * </ul>
 * The PCI hole's other windows (BARs, IOAPIC, LAPIC) are not listed: they are not RAM, and Linux claims
 * the fixed platform devices itself.
 */
public final class E820 {

    private E820() {
    }

    public static List<E820Entry> forLayout(GuestLayout layout) {
        List<E820Entry> entries = new ArrayList<>();
        GpaRange legacy = LowMemory.LEGACY_RESERVED;
        for (GpaRange ram : layout.ramRegions()) {
            for (GpaRange piece : minus(ram, legacy)) {
                entries.add(E820Entry.of(piece, E820Type.RAM));
            }
        }
        entries.add(E820Entry.of(legacy, E820Type.RESERVED));
        entries.add(E820Entry.of(layout.ecamWindow(), E820Type.RESERVED));
        entries.sort(Comparator.comparing(E820Entry::addr));
        return List.copyOf(entries);
    }

    /** The parts of {@code range} outside {@code hole} (zero, one or two ranges, in order). */
    static List<GpaRange> minus(GpaRange range, GpaRange hole) {
        if (!range.overlaps(hole)) {
            return List.of(range);
        }
        List<GpaRange> parts = new ArrayList<>(2);
        if (range.start().isBelow(hole.start())) {
            parts.add(GpaRange.ofInclusive(range.start(), hole.start().minus(1)));
        }
        if (hole.last().isBelow(range.last())) {
            parts.add(GpaRange.ofInclusive(hole.last().plus(1), range.last()));
        }
        return parts;
    }

    /** The first address past the RAM below 4 GiB, where low-memory placements must end. */
    static Gpa lowRamEnd(GuestLayout layout) {
        return layout.ramRegions().get(0).end();
    }
}
