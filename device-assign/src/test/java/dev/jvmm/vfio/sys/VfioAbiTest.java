package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.CAbiProbe.constants;
import static dev.jvmm.kvm.sys.CAbiProbe.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.kvm.sys.AbiCoverage;
import dev.jvmm.kvm.sys.CAbiProbe;
import java.io.IOException;
import java.lang.foreign.StructLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every size, alignment, member offset/size, ioctl number and constant of {@code dev.jvmm.vfio.sys}
 * against what gcc computes (via vmm-core's {@link CAbiProbe}) from linux/vfio.h and linux/iommufd.h.
 * Fails (never skips) without gcc.
 *
 * <p>linux/iommufd.h (Linux 6.2) and the VFIO device-cdev structs (Linux 6.6, mainline layout) are not in
 * Debian 12's 6.1 headers. Where the installed headers lack them, {@code vfio-abi-prelude.h} declares them
 * from the kernel's uapi headers, so gcc still computes their layout, and
 * {@link #documentedLayoutsMatchHandComputedValues} compares the Java side with sizes and offsets worked
 * out by hand from those declarations. The first test prints which source it checked.
 */
class VfioAbiTest {

    static final List<CAbiProbe.Probe> TABLE = CAbiProbe.table(
            struct(VfioInfoCapHeader.LAYOUT),
            struct(VfioGroupStatus.LAYOUT),
            struct(VfioDeviceInfo.LAYOUT),
            struct(VfioRegionInfo.LAYOUT),
            struct(VfioRegionSparseMmapArea.LAYOUT),
            struct(VfioRegionInfoCapSparseMmap.LAYOUT),
            struct(VfioRegionInfoCapType.LAYOUT),
            struct(VfioIrqInfo.LAYOUT),
            struct(VfioIrqSet.LAYOUT),
            struct(VfioIommuType1Info.LAYOUT),
            struct(VfioIovaRange.LAYOUT),
            struct(VfioIommuType1InfoCapIovaRange.LAYOUT),
            struct(VfioIommuType1InfoDmaAvail.LAYOUT),
            struct(VfioIommuType1DmaMap.LAYOUT),
            struct(VfioIommuType1DmaUnmap.LAYOUT),
            struct(VfioPciDependentDevice.LAYOUT),
            struct(VfioPciHotResetInfo.LAYOUT),
            struct(IommuDestroy.LAYOUT),
            struct(IommuIoasAlloc.LAYOUT),
            struct(IommuIovaRange.LAYOUT),
            struct(IommuIoasIovaRanges.LAYOUT),
            struct(IommuIoasMap.LAYOUT),
            struct(IommuIoasUnmap.LAYOUT),
            struct(VfioDeviceBindIommufd.LAYOUT),
            struct(VfioDeviceAttachIommufdPt.LAYOUT),
            struct(VfioDeviceDetachIommufdPt.LAYOUT),
            constants(VfioIoctls.class),
            constants(IommufdIoctls.class),
            constants(VfioConstants.class));

    /** A struct not in the 6.1 headers, with its size, alignment and member offsets worked out by hand. */
    record Documented(StructLayout layout, long size, long alignment, Map<String, Long> offsets) {}

    private static Map<String, Long> offsets(Object... nameOffset) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < nameOffset.length; i += 2) {
            m.put((String) nameOffset[i], ((Number) nameOffset[i + 1]).longValue());
        }
        return m;
    }

    /*
     * From include/uapi/linux/iommufd.h and vfio.h: __u32/__s32 take 4 bytes at 4-byte alignment,
     * __aligned_u64 8 at 8, so a struct is 8-aligned iff it has an __aligned_u64 and its size rounds up
     * to its alignment.
     */
    static final List<Documented> DOCUMENTED = List.of(
            new Documented(IommuDestroy.LAYOUT, 8, 4, offsets("size", 0, "id", 4)),
            new Documented(IommuIoasAlloc.LAYOUT, 12, 4, offsets("size", 0, "flags", 4, "out_ioas_id", 8)),
            new Documented(IommuIovaRange.LAYOUT, 16, 8, offsets("start", 0, "last", 8)),
            new Documented(IommuIoasIovaRanges.LAYOUT, 32, 8, offsets("size", 0, "ioas_id", 4, "num_iovas", 8,
                    "__reserved", 12, "allowed_iovas", 16, "out_iova_alignment", 24)),
            new Documented(IommuIoasMap.LAYOUT, 40, 8, offsets("size", 0, "flags", 4, "ioas_id", 8,
                    "__reserved", 12, "user_va", 16, "length", 24, "iova", 32)),
            new Documented(IommuIoasUnmap.LAYOUT, 24, 8, offsets("size", 0, "ioas_id", 4, "iova", 8, "length", 16)),
            new Documented(VfioDeviceBindIommufd.LAYOUT, 24, 8, offsets("argsz", 0, "flags", 4, "iommufd", 8,
                    "out_devid", 12, "token_uuid_ptr", 16)),
            new Documented(VfioDeviceAttachIommufdPt.LAYOUT, 16, 4, offsets("argsz", 0, "flags", 4, "pt_id", 8,
                    "pasid", 12)),
            new Documented(VfioDeviceDetachIommufdPt.LAYOUT, 12, 4, offsets("argsz", 0, "flags", 4, "pasid", 8)));

    /** Requests and flags not in the 6.1 headers: {@code _IO(';', nr)} is {@code 0x3b00 | nr}. */
    static final Map<String, Long> DOCUMENTED_NUMBERS = Map.of(
            "IOMMU_DESTROY", 0x3b80L,
            "IOMMU_IOAS_ALLOC", 0x3b81L,
            "IOMMU_IOAS_IOVA_RANGES", 0x3b84L,
            "IOMMU_IOAS_MAP", 0x3b85L,
            "IOMMU_IOAS_UNMAP", 0x3b86L,
            "VFIO_DEVICE_BIND_IOMMUFD", 0x3b76L,      // VFIO_BASE + 18 = 118 = 0x76
            "VFIO_DEVICE_ATTACH_IOMMUFD_PT", 0x3b77L,
            "VFIO_DEVICE_DETACH_IOMMUFD_PT", 0x3b78L,
            "IOMMU_IOAS_MAP_READABLE", 4L,
            "VFIO_DEVICE_BIND_FLAG_TOKEN", 1L);

    @Test
    void javaLayoutsAndConstantsMatchTheKernelHeaders(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws IOException { // kept on failure: the message names the probe program
        Map<String, Long> sources = CAbiProbe.evaluate(dir.resolve("sources"), prelude(),
                List.of("JVMM_IOMMUFD_FROM_HEADERS", "JVMM_VFIO_CDEV_FROM_HEADERS"));
        System.out.println("VfioAbiTest: linux/vfio.h (6.1 ABI): checked against the installed headers");
        System.out.println("VfioAbiTest: linux/iommufd.h: " + source(sources.get("JVMM_IOMMUFD_FROM_HEADERS")));
        System.out.println("VfioAbiTest: VFIO device cdev structs: "
                + source(sources.get("JVMM_VFIO_CDEV_FROM_HEADERS")));
        CAbiProbe.check(dir.resolve("probe"), prelude(), TABLE);
    }

    private static String source(Long fromHeaders) {
        return fromHeaders != null && fromHeaders == 1 ? "checked against the installed headers"
                : "not in installed headers, checked against the documented layout (declarations in"
                        + " vfio-abi-prelude.h written from the kernel's uapi header) and hand-computed sizes";
    }

    @Test
    void documentedLayoutsMatchHandComputedValues() {
        List<String> mismatches = new ArrayList<>();
        for (Documented d : DOCUMENTED) {
            String tag = d.layout().name().orElseThrow();
            if (d.layout().byteSize() != d.size()) {
                mismatches.add("sizeof(struct " + tag + "): expected " + d.size() + ", Java " + d.layout().byteSize());
            }
            if (d.layout().byteAlignment() != d.alignment()) {
                mismatches.add("_Alignof(struct " + tag + "): expected " + d.alignment() + ", Java "
                        + d.layout().byteAlignment());
            }
            Map<String, Long> java = new LinkedHashMap<>();
            CAbiProbe.members(d.layout()).forEach(m -> java.put(m.cPath(), m.offset()));
            if (!java.equals(d.offsets())) {
                mismatches.add("members of struct " + tag + ": expected " + d.offsets() + ", Java " + java);
            }
        }
        Map<String, Long> javaNumbers = new LinkedHashMap<>();
        for (CAbiProbe.Probe p : TABLE) {
            if (DOCUMENTED_NUMBERS.containsKey(p.c())) {
                javaNumbers.put(p.c(), p.java().getAsLong());
            }
        }
        assertEquals(DOCUMENTED_NUMBERS, Map.copyOf(javaNumbers), "documented ioctl numbers and flags");
        assertEquals(List.of(), mismatches);
    }

    @Test
    void tableCoversEveryStructAndConstantsClassOfThePackage() throws Exception {
        assertEquals(List.of(), AbiCoverage.unprobed(TABLE, VfioRegionInfo.class, 25),
                "classes of dev.jvmm.vfio.sys that VfioAbiTest.TABLE does not check");
    }

    @Test
    void tableIsSubstantial() {
        assertTrue(TABLE.size() > 250, "only " + TABLE.size() + " probes");
        assertTrue(TABLE.stream().anyMatch(p -> p.c().equals("offsetof(struct vfio_irq_set, data)")));
        assertTrue(TABLE.stream().anyMatch(
                p -> p.c().equals("offsetof(struct vfio_iommu_type1_info_cap_iova_range, iova_ranges[0].end)")));
        assertTrue(TABLE.stream().anyMatch(p -> p.c().equals("offsetof(struct vfio_region_info_cap_type, header.next)")));
    }

    static String prelude() throws IOException {
        return AbiCoverage.resource(VfioAbiTest.class, "vfio-abi-prelude.h");
    }
}
