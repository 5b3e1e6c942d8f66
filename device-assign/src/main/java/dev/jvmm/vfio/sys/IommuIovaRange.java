package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u64;

import dev.jvmm.kvm.sys.Layouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct iommu_iova_range} (linux/iommufd.h, Linux 6.2+): an IOVA interval {@code [start, last]},
 * {@code last} inclusive. The array {@link IommuIoasIovaRanges#setAllowedIovas} points at.
 */
public final class IommuIovaRange {

    public static final StructLayout LAYOUT = Layouts.struct("iommu_iova_range",
            u64("start"),
            u64("last"));

    public static final VarHandle START = field(LAYOUT, "start");
    public static final VarHandle LAST = field(LAYOUT, "last");

    private IommuIovaRange() {}

    public static long start(MemorySegment s) { return (long) START.get(s); }
    public static void setStart(MemorySegment s, long v) { START.set(s, v); }
    public static long last(MemorySegment s) { return (long) LAST.get(s); }
    public static void setLast(MemorySegment s, long v) { LAST.set(s, v); }
}
