package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;
import static dev.jvmm.kvm.sys.Layouts.u64;

import dev.jvmm.kvm.sys.Layouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct iommu_ioas_iova_ranges} (linux/iommufd.h, Linux 6.2+), the argument of
 * {@code IOMMU_IOAS_IOVA_RANGES}: the IOVA ranges IOAS {@code ioas_id} accepts. The kernel writes up to
 * {@code num_iovas} {@link IommuIovaRange}s to the user array at {@code allowed_iovas}; if there are
 * more it fails with EMSGSIZE and sets {@code num_iovas} to the count needed. Ranges narrow as devices
 * attach: query after every attach.
 */
public final class IommuIoasIovaRanges {

    public static final StructLayout LAYOUT = Layouts.struct("iommu_ioas_iova_ranges",
            u32("size"),
            u32("ioas_id"),
            u32("num_iovas"),
            u32("__reserved"),
            u64("allowed_iovas"),
            u64("out_iova_alignment"));

    public static final VarHandle SIZE = field(LAYOUT, "size");
    public static final VarHandle IOAS_ID = field(LAYOUT, "ioas_id");
    public static final VarHandle NUM_IOVAS = field(LAYOUT, "num_iovas");
    public static final VarHandle ALLOWED_IOVAS = field(LAYOUT, "allowed_iovas");
    public static final VarHandle OUT_IOVA_ALIGNMENT = field(LAYOUT, "out_iova_alignment");

    private IommuIoasIovaRanges() {}

    /**
     * A zeroed struct for {@code ioasId} pointing at {@code ranges}, a zeroed array of
     * {@link IommuIovaRange}s whose length becomes {@code num_iovas}.
     */
    public static MemorySegment allocate(Arena arena, int ioasId, MemorySegment ranges) {
        if (ranges.byteSize() % IommuIovaRange.LAYOUT.byteSize() != 0) {
            throw new IllegalArgumentException("ranges must be an array of struct iommu_iova_range ("
                    + IommuIovaRange.LAYOUT.byteSize() + " bytes each), got " + ranges.byteSize() + " bytes");
        }
        MemorySegment s = arena.allocate(LAYOUT);
        setSize(s, (int) LAYOUT.byteSize());
        setIoasId(s, ioasId);
        setNumIovas(s, (int) (ranges.byteSize() / IommuIovaRange.LAYOUT.byteSize()));
        setAllowedIovas(s, ranges.address());
        return s;
    }

    public static int size(MemorySegment s) { return (int) SIZE.get(s); }
    public static void setSize(MemorySegment s, int v) { SIZE.set(s, v); }
    public static int ioasId(MemorySegment s) { return (int) IOAS_ID.get(s); }
    public static void setIoasId(MemorySegment s, int v) { IOAS_ID.set(s, v); }
    public static int numIovas(MemorySegment s) { return (int) NUM_IOVAS.get(s); }
    public static void setNumIovas(MemorySegment s, int v) { NUM_IOVAS.set(s, v); }
    /** User address of the {@link IommuIovaRange} array. */
    public static long allowedIovas(MemorySegment s) { return (long) ALLOWED_IOVAS.get(s); }
    public static void setAllowedIovas(MemorySegment s, long v) { ALLOWED_IOVAS.set(s, v); }
    /** Minimum alignment of IOVA and length in IOMMU_IOAS_MAP (at most the page size). */
    public static long outIovaAlignment(MemorySegment s) { return (long) OUT_IOVA_ALIGNMENT.get(s); }
    public static void setOutIovaAlignment(MemorySegment s, long v) { OUT_IOVA_ALIGNMENT.set(s, v); }
}
