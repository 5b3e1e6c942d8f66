package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;

import dev.jvmm.kvm.sys.Layouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct vfio_region_info_cap_type} ({@code VFIO_REGION_INFO_CAP_TYPE}): what a device-specific
 * region (index {@code >= VFIO_PCI_NUM_REGIONS}) contains, as a bus-driver-wide type and a subtype.
 */
public final class VfioRegionInfoCapType {

    public static final StructLayout LAYOUT = Layouts.struct("vfio_region_info_cap_type",
            VfioInfoCapHeader.LAYOUT.withName("header"),
            u32("type"),
            u32("subtype"));

    public static final VarHandle TYPE = field(LAYOUT, "type");
    public static final VarHandle SUBTYPE = field(LAYOUT, "subtype");

    private VfioRegionInfoCapType() {}

    public static int type(MemorySegment s) { return (int) TYPE.get(s); }
    public static void setType(MemorySegment s, int v) { TYPE.set(s, v); }
    public static int subtype(MemorySegment s) { return (int) SUBTYPE.get(s); }
    public static void setSubtype(MemorySegment s, int v) { SUBTYPE.set(s, v); }
}
