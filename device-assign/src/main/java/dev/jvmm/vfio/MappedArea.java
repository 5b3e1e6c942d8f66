package dev.jvmm.vfio;

import dev.jvmm.vfio.kernel.RegionInfo;
import dev.jvmm.vfio.kernel.RegionMapping;

/**
 * One mmap'ed area of a device region: where it lies in the region ({@code area}, e.g. a BAR minus the
 * page holding its MSI-X table) and where in this process ({@code mapping}). Owned by its
 * {@link VfioDevice}, which unmaps it on close.
 */
public record MappedArea(int regionIndex, RegionInfo.Area area, RegionMapping mapping) {}
