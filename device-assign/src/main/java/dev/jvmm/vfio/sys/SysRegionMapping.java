package dev.jvmm.vfio.sys;

import dev.jvmm.memory.Hva;
import dev.jvmm.memory.sys.Mapping;
import dev.jvmm.vfio.kernel.RegionMapping;
import java.lang.foreign.MemorySegment;

/** A {@link RegionMapping} of {@link SysVfioKernel}: an owned {@link Mapping} of the device fd. */
public final class SysRegionMapping implements RegionMapping {

    private final Mapping mapping;

    SysRegionMapping(Mapping mapping) {
        this.mapping = mapping;
    }

    /** The mapped bytes, for sys code (device MMIO: access with the width the device expects). */
    public MemorySegment segment() {
        return mapping.segment();
    }

    @Override
    public Hva hva() {
        return Hva.of(mapping.address());
    }

    @Override
    public long length() {
        return mapping.length();
    }

    @Override
    public boolean isOpen() {
        return mapping.isOpen();
    }

    @Override
    public void close() {
        mapping.close();
    }
}
