package dev.jvmm.vfio.sys;

import static dev.jvmm.vfio.sys.VfioConstants.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.memory.ValidIovaRange;
import dev.jvmm.vfio.kernel.IommuInfo;
import dev.jvmm.vfio.kernel.RegionInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** INFO buffers laid out as the kernel fills them, decoded into the kernel-interface records. */
class VfioInfoDecoderTest {

    /** vfio_iommu_type1_info (24 bytes), then the IOVA-range cap with two ranges (16 + 32), then dma_avail (12). */
    @Test
    void iommuInfoWithIovaRangesAndDmaAvail() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = VfioIommuType1Info.allocate(arena, 24 + 48 + 16);
            VfioIommuType1Info.setFlags(info, VFIO_IOMMU_INFO_PGSIZES | VFIO_IOMMU_INFO_CAPS);
            VfioIommuType1Info.setIovaPgsizes(info, 0x4020_1000L);
            VfioIommuType1Info.setCapOffset(info, 24);
            MemorySegment ranges = info.asSlice(24);
            VfioInfoCapHeader.setId(ranges, VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE);
            VfioInfoCapHeader.setVersion(ranges, 1);
            VfioInfoCapHeader.setNext(ranges, 72);
            VfioIommuType1InfoCapIovaRange.setNrIovas(ranges, 2);
            VfioIovaRange.setEnd(VfioIommuType1InfoCapIovaRange.iovaRange(ranges, 0), 0xfedf_ffffL);
            VfioIovaRange.setStart(VfioIommuType1InfoCapIovaRange.iovaRange(ranges, 1), 0xfef0_0000L);
            VfioIovaRange.setEnd(VfioIommuType1InfoCapIovaRange.iovaRange(ranges, 1), -1L);
            MemorySegment avail = info.asSlice(72);
            VfioInfoCapHeader.setId(avail, VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL);
            VfioIommuType1InfoDmaAvail.setAvail(avail, 0xffff_fffe);

            IommuInfo decoded = VfioInfoDecoder.iommuInfo(info);
            assertEquals(new IommuInfo(0x4020_1000L, Optional.of(List.of(ValidIovaRange.of(0, 0xfedf_ffffL),
                    ValidIovaRange.of(0xfef0_0000L, -1L))), OptionalLong.of(0xffff_fffeL)), decoded);
            assertEquals(4096, decoded.minPageSize());
        }
    }

    /**
     * Linux 6.1 as seen in the test host: migration cap (id 2, 32 bytes) at 24, dma_avail (12 bytes) at 56,
     * so the IOVA-range cap lands at 68, only 4-byte aligned (kernels before 6.7 do not align caps).
     */
    @Test
    void iommuInfoWithTheUnalignedIovaRangeCapOfLinux61() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = VfioIommuType1Info.allocate(arena, 68 + 16 + 32);
            VfioIommuType1Info.setFlags(info, VFIO_IOMMU_INFO_PGSIZES | VFIO_IOMMU_INFO_CAPS);
            VfioIommuType1Info.setIovaPgsizes(info, 0x4020_1000L);
            VfioIommuType1Info.setCapOffset(info, 24);
            VfioInfoCapHeader.setId(info.asSlice(24), 2);
            VfioInfoCapHeader.setNext(info.asSlice(24), 56);
            MemorySegment avail = info.asSlice(56);
            VfioInfoCapHeader.setId(avail, VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL);
            VfioInfoCapHeader.setNext(avail, 68);
            VfioIommuType1InfoDmaAvail.setAvail(avail, 65535);
            MemorySegment ranges = info.asSlice(68);
            VfioInfoCapHeader.setId(ranges, VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE);
            ranges.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 8, 2);
            ranges.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 16 + 8, 0xfedf_ffffL);
            ranges.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 32, 0xfef0_0000L);
            ranges.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 32 + 8, 0x7f_ffff_ffffL);

            assertEquals(new IommuInfo(0x4020_1000L, Optional.of(List.of(ValidIovaRange.of(0, 0xfedf_ffffL),
                    ValidIovaRange.of(0xfef0_0000L, 0x7f_ffff_ffffL))), OptionalLong.of(65535)),
                    VfioInfoDecoder.iommuInfo(info));
        }
    }

    @Test
    void iommuInfoWithoutCapsOrPageSizes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = VfioIommuType1Info.allocate(arena, 24);
            VfioIommuType1Info.setIovaPgsizes(info, 0x1000);
            VfioIommuType1Info.setCapOffset(info, 8); // ignored without VFIO_IOMMU_INFO_CAPS
            IommuInfo decoded = VfioInfoDecoder.iommuInfo(info);
            assertEquals(new IommuInfo(0, Optional.empty(), OptionalLong.empty()), decoded);
            assertEquals(IommuInfo.DEFAULT_PAGE, decoded.minPageSize());
        }
    }

    /** A BAR holding an MSI-X table: sparse areas, MSI-X mappable and an unknown cap (skipped). */
    @Test
    void regionInfoWithSparseAreasTypeAndMsixMappable() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = VfioRegionInfo.allocate(arena, 0, 32 + 48 + 16 + 8 + 8);
            VfioRegionInfo.setFlags(info, VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_MMAP
                    | VFIO_REGION_INFO_FLAG_CAPS);
            VfioRegionInfo.setSize(info, 0x4000);
            VfioRegionInfo.setOffset(info, 0);
            VfioRegionInfo.setCapOffset(info, 32);
            MemorySegment sparse = info.asSlice(32);
            VfioInfoCapHeader.setId(sparse, VFIO_REGION_INFO_CAP_SPARSE_MMAP);
            VfioInfoCapHeader.setNext(sparse, 80);
            VfioRegionInfoCapSparseMmap.setNrAreas(sparse, 2);
            VfioRegionSparseMmapArea.setSize(VfioRegionInfoCapSparseMmap.area(sparse, 0), 0x2000);
            VfioRegionSparseMmapArea.setOffset(VfioRegionInfoCapSparseMmap.area(sparse, 1), 0x3000);
            VfioRegionSparseMmapArea.setSize(VfioRegionInfoCapSparseMmap.area(sparse, 1), 0x1000);
            MemorySegment type = info.asSlice(80);
            VfioInfoCapHeader.setId(type, VFIO_REGION_INFO_CAP_TYPE);
            VfioInfoCapHeader.setNext(type, 96);
            VfioRegionInfoCapType.setType(type, 0x8086_0000);
            VfioRegionInfoCapType.setSubtype(type, 3);
            VfioInfoCapHeader.setId(info.asSlice(96), 0x7777);
            VfioInfoCapHeader.setNext(info.asSlice(96), 104);
            VfioInfoCapHeader.setId(info.asSlice(104), VFIO_REGION_INFO_CAP_MSIX_MAPPABLE);

            RegionInfo r = VfioInfoDecoder.regionInfo(info);
            assertEquals(new RegionInfo(0, VfioRegionInfo.flags(info), 0x4000, 0,
                    Optional.of(List.of(new RegionInfo.Area(0, 0x2000), new RegionInfo.Area(0x3000, 0x1000))),
                    Optional.of(new RegionInfo.Type(0x8086_0000, 3)), true), r);
            assertTrue(r.readable());
            assertFalse(r.writable());
            assertEquals(r.sparseMmap().orElseThrow(), r.mmapAreas());
        }
    }

    @Test
    void aSparseCapClaimingMoreAreasThanTheBufferHoldsIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = VfioRegionInfo.allocate(arena, 0, 32 + 16 + 16);
            VfioRegionInfo.setFlags(info, VFIO_REGION_INFO_FLAG_CAPS);
            VfioRegionInfo.setCapOffset(info, 32);
            VfioInfoCapHeader.setId(info.asSlice(32), VFIO_REGION_INFO_CAP_SPARSE_MMAP);
            VfioRegionInfoCapSparseMmap.setNrAreas(info.asSlice(32), 2);
            assertThrows(IndexOutOfBoundsException.class, () -> VfioInfoDecoder.regionInfo(info));
        }
    }

    @Test
    void aRegionWithoutCapsIsMappedWholeWhenMmapable() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = VfioRegionInfo.allocate(arena, 2);
            VfioRegionInfo.setFlags(info, VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE
                    | VFIO_REGION_INFO_FLAG_MMAP);
            VfioRegionInfo.setSize(info, 0x10_0000);
            VfioRegionInfo.setOffset(info, 2L << 40);
            RegionInfo r = VfioInfoDecoder.regionInfo(info);
            assertEquals(RegionInfo.plain(2, VfioRegionInfo.flags(info), 0x10_0000, 2L << 40), r);
            assertEquals(List.of(new RegionInfo.Area(0, 0x10_0000)), r.mmapAreas());
        }
    }
}
