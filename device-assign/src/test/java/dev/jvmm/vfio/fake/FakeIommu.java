package dev.jvmm.vfio.fake;

import dev.jvmm.memory.ValidIovaRange;
import dev.jvmm.memory.sys.Errno;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A container's type1 IOMMU as vfio_iommu_type1.c behaves: mappings keyed by IOVA, refused with the errno
 * the driver gives (EINVAL for misaligned, outside the valid ranges or bisecting an existing mapping on
 * unmap; EEXIST for overlap; ENOSPC when dma_entry_limit is used up).
 */
final class FakeIommu {

    record Mapping(long iova, long hva, long size) {
        long last() {
            return iova + size - 1;
        }
    }

    final FakeHandle handle;
    final Set<Integer> groups = new LinkedHashSet<>();
    int iommuType;
    final TreeMap<Long, Mapping> mappings = new TreeMap<>();

    FakeIommu(FakeHandle handle) {
        this.handle = handle;
    }

    boolean iommuSet() {
        return iommuType != 0;
    }

    /** 0 when the mapping may be made, else the errno type1 answers before pinning. */
    int checkMap(long iova, long hva, long size, long pageSizes, List<ValidIovaRange> valid, long entriesLeft) {
        long page = Long.lowestOneBit(pageSizes);
        if (size == 0 || ((iova | hva | size) & (page - 1)) != 0) {
            return Errno.EINVAL;
        }
        if (Long.compareUnsigned(iova + size - 1, iova) < 0 || Long.compareUnsigned(hva + size - 1, hva) < 0) {
            return Errno.EINVAL;
        }
        for (Mapping m : mappings.values()) {
            if (Long.compareUnsigned(iova, m.last()) <= 0 && Long.compareUnsigned(m.iova(), iova + size - 1) <= 0) {
                return Errno.EEXIST;
            }
        }
        if (entriesLeft <= 0) {
            return Errno.ENOSPC;
        }
        boolean inside = valid.stream().anyMatch(r -> Long.compareUnsigned(r.first().value(), iova) <= 0
                && Long.compareUnsigned(iova + size - 1, r.last().value()) <= 0);
        return inside ? 0 : Errno.EINVAL;
    }

    /** The mappings {@code [iova, iova + size)} covers, or null when it bisects one (type1v2: EINVAL). */
    List<Mapping> covered(long iova, long size) {
        long last = iova + size - 1;
        List<Mapping> hit = new ArrayList<>();
        for (Map.Entry<Long, Mapping> e : mappings.entrySet()) {
            Mapping m = e.getValue();
            boolean overlaps = Long.compareUnsigned(iova, m.last()) <= 0 && Long.compareUnsigned(m.iova(), last) <= 0;
            if (!overlaps) {
                continue;
            }
            if (Long.compareUnsigned(m.iova(), iova) < 0 || Long.compareUnsigned(m.last(), last) > 0) {
                return null;
            }
            hit.add(m);
        }
        return hit;
    }

    long mappedBytes() {
        return mappings.values().stream().mapToLong(Mapping::size).sum();
    }
}
