package dev.jvmm.vfio.config;

import dev.jvmm.memory.GpaRange;

/**
 * Told when a BAR starts or stops decoding guest accesses, so the VMM can add or remove the KVM memory
 * slot (or I/O handler) that backs it. Index 0-5 is a BAR ({@link BarSpec#ROM_INDEX} the expansion ROM);
 * a 64-bit BAR is reported under its lower index.
 *
 * <p>Guarantees: a range passed to a {@code *Mapped} call lies inside the matching guest window and
 * overlaps no other range this device has mapped; every mapping is unmapped with the same range before
 * the BAR is mapped again; within one guest write all unmaps come before all maps, so a BAR moving onto
 * another's old place never overlaps it. A listener that throws (a host failure) propagates to the
 * caller of the guest access.
 */
public interface BarListener {

    void barMapped(int index, GpaRange range);

    void barUnmapped(int index, GpaRange range);

    void ioBarMapped(int index, IoPortRange ports);

    void ioBarUnmapped(int index, IoPortRange ports);
}
