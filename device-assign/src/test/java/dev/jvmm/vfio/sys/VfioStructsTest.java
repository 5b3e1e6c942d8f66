package dev.jvmm.vfio.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Behaviour of the struct helpers: argsz from layouts, flexible data, capability chain walking. */
class VfioStructsTest {

    @Test
    void allocateSetsArgszFromTheLayout() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(32, VfioRegionInfo.argsz(VfioRegionInfo.allocate(arena, 7)));
            assertEquals(7, VfioRegionInfo.index(VfioRegionInfo.allocate(arena, 7)));
            assertEquals(16, VfioIrqInfo.argsz(VfioIrqInfo.allocate(arena, 2)));
            assertEquals(32, VfioIommuType1DmaMap.argsz(VfioIommuType1DmaMap.allocate(arena)));
            assertEquals(40, IommuIoasMap.size(IommuIoasMap.allocate(arena)));
            assertEquals(24, VfioDeviceBindIommufd.argsz(VfioDeviceBindIommufd.allocate(arena)));
            assertThrows(IllegalArgumentException.class, () -> VfioRegionInfo.allocate(arena, 0, 31));
        }
    }

    @Test
    void irqSetCarriesOneEventfdPerVectorAfterTheHeader() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = VfioIrqSet.allocateEventfds(arena, 3);
            assertEquals(20 + 3 * 4, VfioIrqSet.argsz(s));
            assertEquals(3, VfioIrqSet.count(s));
            assertEquals(VfioConstants.VFIO_IRQ_SET_DATA_EVENTFD, VfioIrqSet.flags(s));
            assertEquals(-1, VfioIrqSet.eventfd(s, 2));
            VfioIrqSet.setEventfd(s, 1, 42);
            assertEquals(42, s.get(java.lang.foreign.ValueLayout.JAVA_INT, 24));
            assertThrows(IndexOutOfBoundsException.class, () -> VfioIrqSet.setEventfd(s, 3, 5));
        }
    }

    /** A region info buffer as vfio-pci returns it for a BAR holding an MSI-X table: two caps. */
    @Test
    void capChainIsWalkedInOrderAndSparseAreasRead() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = VfioRegionInfo.allocate(arena, 0, 32 + 48 + 8);
            VfioRegionInfo.setFlags(info, VfioConstants.VFIO_REGION_INFO_FLAG_CAPS);
            VfioRegionInfo.setCapOffset(info, 32);
            MemorySegment sparse = info.asSlice(32);
            VfioInfoCapHeader.setId(sparse, VfioConstants.VFIO_REGION_INFO_CAP_SPARSE_MMAP);
            VfioInfoCapHeader.setVersion(sparse, 1);
            VfioInfoCapHeader.setNext(sparse, 80);
            VfioRegionInfoCapSparseMmap.setNrAreas(sparse, 2);
            VfioRegionSparseMmapArea.setSize(VfioRegionInfoCapSparseMmap.area(sparse, 0), 0x2000);
            VfioRegionSparseMmapArea.setOffset(VfioRegionInfoCapSparseMmap.area(sparse, 1), 0x3000);
            VfioInfoCapHeader.setId(info.asSlice(80), VfioConstants.VFIO_REGION_INFO_CAP_MSIX_MAPPABLE);

            List<VfioCapChain.Cap> caps = VfioCapChain.walk(info, VfioRegionInfo.capOffset(info));
            assertEquals(List.of(new VfioCapChain.Cap(1, 1, 32), new VfioCapChain.Cap(3, 0, 80)), caps);
            MemorySegment found = VfioCapChain.slice(info,
                    VfioCapChain.find(info, 32, VfioConstants.VFIO_REGION_INFO_CAP_SPARSE_MMAP).orElseThrow(),
                    VfioRegionInfoCapSparseMmap.LAYOUT);
            assertEquals(0x3000, VfioRegionSparseMmapArea.offset(VfioRegionInfoCapSparseMmap.area(found, 1)));
            assertTrue(VfioCapChain.find(info, 32, VfioConstants.VFIO_REGION_INFO_CAP_TYPE).isEmpty());
        }
    }

    @Test
    void malformedCapChainsAreRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = VfioIommuType1Info.allocate(arena, 64);
            VfioInfoCapHeader.setNext(info.asSlice(24), 24); // points at itself: a loop
            assertThrows(IllegalStateException.class, () -> VfioCapChain.walk(info, 24));
            assertThrows(IllegalStateException.class, () -> VfioCapChain.walk(info, 60)); // header past the end
            assertThrows(IllegalStateException.class, () -> VfioCapChain.walk(info, 26)); // unaligned
            assertEquals(List.of(), VfioCapChain.walk(info, 0));
        }
    }
}
