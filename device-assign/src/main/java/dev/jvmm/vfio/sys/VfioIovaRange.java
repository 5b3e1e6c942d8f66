package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u64;

import dev.jvmm.kvm.sys.Layouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct vfio_iova_range}: a valid IOVA range of a type1 container, {@code [start, end]} with
 * {@code end} inclusive. Entry of {@link VfioIommuType1InfoCapIovaRange}.
 */
public final class VfioIovaRange {

    public static final StructLayout LAYOUT = Layouts.struct("vfio_iova_range",
            u64("start"),
            u64("end"));

    public static final VarHandle START = field(LAYOUT, "start");
    public static final VarHandle END = field(LAYOUT, "end");

    private VfioIovaRange() {}

    public static long start(MemorySegment s) { return (long) START.get(s); }
    public static void setStart(MemorySegment s, long v) { START.set(s, v); }
    /** The last valid IOVA (inclusive). */
    public static long end(MemorySegment s) { return (long) END.get(s); }
    public static void setEnd(MemorySegment s, long v) { END.set(s, v); }
}
