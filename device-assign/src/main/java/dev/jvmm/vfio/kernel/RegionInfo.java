package dev.jvmm.vfio.kernel;

import dev.jvmm.vfio.sys.VfioConstants;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code VFIO_DEVICE_GET_REGION_INFO}'s answer for one region, with its capabilities decoded.
 *
 * @param index        the region index ({@code VFIO_PCI_BAR0_REGION_INDEX}...)
 * @param flags        {@code VFIO_REGION_INFO_FLAG_*}
 * @param size         bytes; 0 for an absent region
 * @param offset       where the region starts in the device fd, for pread/pwrite/mmap
 * @param sparseMmap   the only mmap-able areas, when the kernel gave {@code VFIO_REGION_INFO_CAP_SPARSE_MMAP}
 * @param type         the region's type, when the kernel gave {@code VFIO_REGION_INFO_CAP_TYPE}
 * @param msixMappable {@code VFIO_REGION_INFO_CAP_MSIX_MAPPABLE}: the MSI-X table in this BAR may be mmap'ed
 */
public record RegionInfo(int index, int flags, long size, long offset, Optional<List<Area>> sparseMmap,
                         Optional<Type> type, boolean msixMappable) {

    /** {@code [offset, offset + size)} within the region. */
    public record Area(long offset, long size) {}

    /** A device-specific region's type and subtype ({@code struct vfio_region_info_cap_type}). */
    public record Type(int type, int subtype) {}

    public RegionInfo {
        Objects.requireNonNull(sparseMmap, "sparseMmap");
        Objects.requireNonNull(type, "type");
        sparseMmap = sparseMmap.map(List::copyOf);
    }

    /** A region without capabilities. */
    public static RegionInfo plain(int index, int flags, long size, long offset) {
        return new RegionInfo(index, flags, size, offset, Optional.empty(), Optional.empty(), false);
    }

    public boolean readable() {
        return (flags & VfioConstants.VFIO_REGION_INFO_FLAG_READ) != 0;
    }

    public boolean writable() {
        return (flags & VfioConstants.VFIO_REGION_INFO_FLAG_WRITE) != 0;
    }

    public boolean mmapable() {
        return (flags & VfioConstants.VFIO_REGION_INFO_FLAG_MMAP) != 0;
    }

    /**
     * The areas that may be mmap'ed: the sparse areas when the kernel listed them, the whole region when it
     * is mmap-able without a list, none otherwise (every access then goes through pread/pwrite).
     */
    public List<Area> mmapAreas() {
        if (!mmapable() || size == 0) {
            return List.of();
        }
        return sparseMmap.orElse(List.of(new Area(0, size)));
    }
}
