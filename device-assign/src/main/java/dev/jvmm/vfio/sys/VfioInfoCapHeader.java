package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u16;
import static dev.jvmm.kvm.sys.Layouts.u32;

import dev.jvmm.kvm.sys.Layouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct vfio_info_cap_header}: the head of every entry in the capability chain that follows an
 * INFO struct ({@code vfio_region_info}, {@code vfio_iommu_type1_info}, ...). {@code next} is the offset
 * of the next entry from the start of the INFO buffer, 0 at the end; {@link VfioCapChain} walks it.
 */
public final class VfioInfoCapHeader {

    public static final StructLayout LAYOUT = Layouts.struct("vfio_info_cap_header",
            u16("id"),
            u16("version"),
            u32("next"));

    public static final VarHandle ID = field(LAYOUT, "id");
    public static final VarHandle VERSION = field(LAYOUT, "version");
    public static final VarHandle NEXT = field(LAYOUT, "next");

    private VfioInfoCapHeader() {}

    /** The capability ID; its meaning depends on which INFO ioctl returned the chain. */
    public static int id(MemorySegment s) { return Short.toUnsignedInt((short) ID.get(s)); }
    public static void setId(MemorySegment s, int v) { ID.set(s, Layouts.checkU16("id", v)); }
    public static int version(MemorySegment s) { return Short.toUnsignedInt((short) VERSION.get(s)); }
    public static void setVersion(MemorySegment s, int v) { VERSION.set(s, Layouts.checkU16("version", v)); }
    public static int next(MemorySegment s) { return (int) NEXT.get(s); }
    public static void setNext(MemorySegment s, int v) { NEXT.set(s, v); }
}
