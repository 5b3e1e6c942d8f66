package dev.jvmm.vfio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.memory.sys.Errno;
import dev.jvmm.memory.sys.ErrnoException;
import dev.jvmm.pci.PciBdf;
import dev.jvmm.vfio.host.IommuGroupId;
import dev.jvmm.vfio.sys.VfioConstants;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attach sequence's order, its teardown order, and that nothing is left behind on any path. */
class VfioAssignmentTest {

    @TempDir
    Path root;

    private static List<String> deviceOpen(String bdf, int group) {
        List<String> calls = new ArrayList<>();
        calls.add("VFIO_GROUP_GET_DEVICE_FD /dev/vfio/" + group + " " + bdf);
        calls.add("VFIO_DEVICE_GET_INFO " + bdf);
        IntStream.range(0, 9).forEach(i -> calls.add("VFIO_DEVICE_GET_REGION_INFO " + bdf + " " + i));
        IntStream.range(0, 5).forEach(i -> calls.add("VFIO_DEVICE_GET_IRQ_INFO " + bdf + " " + i));
        calls.add("VFIO_DEVICE_RESET " + bdf);
        return calls;
    }

    @Test
    void attachIssuesTheDocumentedSequenceAndCloseUndoesItInReverse() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            VfioAssignment a = w.attach("0000:01:00.0");

            List<String> expected = new ArrayList<>(List.of(
                    "open /dev/vfio/vfio",
                    "VFIO_GET_API_VERSION",
                    "VFIO_CHECK_EXTENSION TYPE1v2",
                    "open /dev/vfio/7",
                    "VFIO_GROUP_GET_STATUS /dev/vfio/7",
                    "VFIO_GROUP_SET_CONTAINER /dev/vfio/7",
                    "VFIO_SET_IOMMU TYPE1v2",
                    "KVM_CREATE_DEVICE(kvm-vfio)",
                    "KVM_SET_DEVICE_ATTR(KVM_DEV_VFIO_GROUP_ADD) /dev/vfio/7",
                    "VFIO_IOMMU_GET_INFO",
                    "getrlimit(RLIMIT_MEMLOCK)",
                    "VFIO_IOMMU_MAP_DMA iova=0x0 size=0x4000000"));
            expected.addAll(deviceOpen("0000:01:00.0", 7));
            assertEquals(expected, w.kernel.calls());
            assertEquals(List.of("iova=0x0 size=0x4000000"), w.kernel.dmaMappings());
            assertEquals(List.of(7), w.kernel.kvmGroups());
            assertEquals(1, w.host.function(PciBdf.parse("0000:01:00.0")).resets());

            w.kernel.clearCalls();
            a.close();
            assertEquals(List.of(
                    "VFIO_DEVICE_RESET 0000:01:00.0",
                    "close 0000:01:00.0",
                    "VFIO_IOMMU_UNMAP_DMA iova=0x0 size=0x4000000",
                    "KVM_SET_DEVICE_ATTR(KVM_DEV_VFIO_GROUP_DEL) /dev/vfio/7",
                    "VFIO_GROUP_UNSET_CONTAINER /dev/vfio/7",
                    "close /dev/vfio/7",
                    "close kvm-vfio",
                    "close /dev/vfio/vfio"), w.kernel.calls());
            assertEquals(List.of(), w.leftovers());
            assertEquals(2, w.host.function(PciBdf.parse("0000:01:00.0")).resets());
            assertEquals(0, w.kernel.pinnedBytes());
            a.close(); // idempotent
            assertEquals(8, w.kernel.calls().size());
        }
    }

    @Test
    void dmaIsUnmappedBeforeGuestRamIsUnmappedWhenClosedAsResources() {
        VfioWorld w = new VfioWorld(root, 4L << 30);
        w.host.addDevice("0000:01:00.0", 7);
        List<String> events = new ArrayList<>();
        try (AutoCloseable ram = () -> {
                    events.add("DMA mappings when guest RAM is unmapped: " + w.kernel.dmaMappings());
                    w.close();
                };
             VfioAssignment a = w.attach("0000:01:00.0")) {
            assertEquals(List.of("iova=0x0 size=0xc0000000", "iova=0x100000000 size=0x40000000"), w.kernel.dmaMappings());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertEquals(List.of("DMA mappings when guest RAM is unmapped: []"), events);
        List<String> unmaps = w.kernel.calls().stream().filter(c -> c.startsWith("VFIO_IOMMU_UNMAP_DMA")).toList();
        assertEquals(List.of("VFIO_IOMMU_UNMAP_DMA iova=0x100000000 size=0x40000000",
                "VFIO_IOMMU_UNMAP_DMA iova=0x0 size=0xc0000000"), unmaps);
        assertEquals(List.of(), w.leftovers());
    }

    @Test
    void severalDevicesInOneGroupAndSeveralGroupsShareOneContainer() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            w.host.addDevice("0000:01:00.1", 7);
            w.host.addDevice("0000:02:00.0", 9);
            try (VfioAssignment a = w.attach("0000:02:00.0", "0000:01:00.0", "0000:01:00.1")) {
                VfioContainer c = a.container();
                assertEquals(List.of(new IommuGroupId(9), new IommuGroupId(7)),
                        c.groups().stream().map(VfioGroup::id).toList());
                assertEquals(List.of("0000:02:00.0", "0000:01:00.0", "0000:01:00.1"),
                        a.devices().stream().map(d -> d.address().toString()).toList());
                assertEquals(2, c.group(new IommuGroupId(7)).orElseThrow().devices().size());
                assertEquals(List.of(9, 7), w.kernel.kvmGroups());
                List<String> calls = w.kernel.calls();
                assertEquals(1, calls.stream().filter(s -> s.equals("open /dev/vfio/vfio")).count());
                assertEquals(1, calls.stream().filter(s -> s.startsWith("VFIO_SET_IOMMU")).count());
                assertEquals(1, calls.stream().filter(s -> s.startsWith("VFIO_IOMMU_MAP_DMA")).count());
                // every group is attached before the IOMMU info is read and RAM is mapped
                assertTrue(calls.indexOf("VFIO_GROUP_SET_CONTAINER /dev/vfio/7") < calls.indexOf("VFIO_IOMMU_GET_INFO"));
                assertTrue(calls.indexOf("VFIO_IOMMU_MAP_DMA iova=0x0 size=0x4000000")
                        < calls.indexOf("VFIO_GROUP_GET_DEVICE_FD /dev/vfio/9 0000:02:00.0"));
                w.kernel.clearCalls();
            }
            List<String> teardown = w.kernel.calls();
            assertEquals(List.of("close 0000:01:00.1", "close 0000:01:00.0", "close 0000:02:00.0",
                            "VFIO_IOMMU_UNMAP_DMA iova=0x0 size=0x4000000",
                            "VFIO_GROUP_UNSET_CONTAINER /dev/vfio/7", "VFIO_GROUP_UNSET_CONTAINER /dev/vfio/9",
                            "close kvm-vfio", "close /dev/vfio/vfio"),
                    teardown.stream().filter(s -> s.startsWith("close") || s.startsWith("VFIO_IOMMU_UNMAP")
                            || s.startsWith("VFIO_GROUP_UNSET")).filter(s -> !s.startsWith("close /dev/vfio/7")
                            && !s.startsWith("close /dev/vfio/9")).toList());
            assertEquals(List.of(), w.leftovers());
        }
    }

    @Test
    void type1IsUsedWhenTheKernelLacksType1v2() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            w.kernel.type1v2(false);
            try (VfioAssignment a = w.attach("0000:01:00.0")) {
                assertEquals(VfioConstants.VFIO_TYPE1_IOMMU, a.container().iommuType());
                assertTrue(w.kernel.calls().containsAll(List.of("VFIO_CHECK_EXTENSION TYPE1v2",
                        "VFIO_CHECK_EXTENSION TYPE1", "VFIO_SET_IOMMU TYPE1")));
            }
            assertEquals(List.of(), w.leftovers());
        }
    }

    /**
     * A failure at any step of the happy path, injected as the kernel would report it, leaves nothing
     * behind: every call of the sequence is failed once, in turn.
     */
    @Test
    void aFailureAtAnyStepUndoesEverythingBeforeIt() {
        List<String> steps;
        try (VfioWorld w = new VfioWorld(root.resolve("probe"))) {
            w.host.addDevice("0000:01:00.0", 7);
            w.host.addDevice("0000:02:00.0", 9);
            w.attach("0000:01:00.0", "0000:02:00.0").close();
            steps = new ArrayList<>(new LinkedHashSet<>(w.kernel.calls()));
        }
        int failures = 0;
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i);
            boolean teardown = step.startsWith("close") || step.startsWith("VFIO_IOMMU_UNMAP")
                    || step.startsWith("VFIO_GROUP_UNSET") || step.startsWith("KVM_SET_DEVICE_ATTR(KVM_DEV_VFIO_GROUP_DEL");
            if (teardown || step.startsWith("VFIO_DEVICE_GET_REGION_INFO 0000:01:00.0 8")
                    || step.startsWith("VFIO_DEVICE_GET_REGION_INFO 0000:02:00.0 8")) {
                continue;
            }
            try (VfioWorld w = new VfioWorld(root.resolve("run" + i))) {
                w.host.addDevice("0000:01:00.0", 7);
                w.host.addDevice("0000:02:00.0", 9);
                w.kernel.failWhen(step, Errno.EIO);
                ErrnoException e = assertThrows(ErrnoException.class, () -> w.attach("0000:01:00.0", "0000:02:00.0"),
                        "failing " + step);
                assertEquals(Errno.EIO, e.errno(), step);
                assertEquals(List.of(), w.leftovers(), "after failing " + step);
                assertEquals(0, w.kernel.pinnedBytes(), step);
                failures++;
            }
        }
        assertTrue(failures > 40, "only " + failures + " steps were failed");
    }

    @Test
    void aTeardownFailureStillReleasesEverythingElseAndIsThrown() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            VfioAssignment a = w.attach("0000:01:00.0");
            w.kernel.failWhen("KVM_SET_DEVICE_ATTR(KVM_DEV_VFIO_GROUP_DEL)", Errno.EINVAL);
            ErrnoException e = assertThrows(ErrnoException.class, a::close);
            assertEquals("KVM_SET_DEVICE_ATTR(KVM_DEV_VFIO_GROUP_DEL)", e.operation());
            assertEquals(List.of(), w.kernel.openHandles());
            assertEquals(List.of(), w.kernel.dmaMappings());
            assertFalse(a.container().isOpen());
        }
    }

    /** The fake's order checks can fail: closing a group behind its devices' back is reported. */
    @Test
    void theFakeReportsAGroupClosedBeforeItsDevices() {
        try (VfioWorld w = new VfioWorld(root)) {
            w.host.addDevice("0000:01:00.0", 7);
            VfioAssignment a = w.attach("0000:01:00.0");
            a.container().group(new IommuGroupId(7)).orElseThrow().handle().close();
            assertEquals(Stream.of("group 7 closed before its devices [0000:01:00.0]",
                    "group 7 closed while KVM still held it",
                    "group 7 closed while attached to /dev/vfio/vfio",
                    "the last group left /dev/vfio/vfio with 1 DMA mappings: the kernel dropped them, nobody unmapped them")
                    .toList(), w.kernel.violations());
        }
    }
}
