package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;

import dev.jvmm.kvm.sys.Layouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct vfio_iommu_type1_info_dma_avail} ({@code VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL}, version 1):
 * how many more {@code VFIO_IOMMU_MAP_DMA} mappings the container accepts (the vfio_iommu_type1
 * {@code dma_entry_limit} module parameter, 65535 by default, minus those in use).
 */
public final class VfioIommuType1InfoDmaAvail {

    public static final StructLayout LAYOUT = Layouts.struct("vfio_iommu_type1_info_dma_avail",
            VfioInfoCapHeader.LAYOUT.withName("header"),
            u32("avail"));

    public static final VarHandle AVAIL = field(LAYOUT, "avail");

    private VfioIommuType1InfoDmaAvail() {}

    public static int avail(MemorySegment s) { return (int) AVAIL.get(s); }
    public static void setAvail(MemorySegment s, int v) { AVAIL.set(s, v); }
}
