package dev.jvmm.vfio.host;

import dev.jvmm.pci.PciBdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.memory.Iova;
import dev.jvmm.memory.IovaRange;
import dev.jvmm.memory.ReservedIovaRegion;
import dev.jvmm.memory.ReservedRegionType;
import dev.jvmm.vfio.fake.FakeHost;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a sysfs tree laid out as Linux lays it out (written by {@link FakeHost}). */
class PciSysfsTest {

    @TempDir
    Path root;

    @Test
    void readsADeviceThroughItsBusLink() {
        FakeHost host = new FakeHost(root);
        host.addDevice("0000:01:00.0", 7).ids(0x1b36, 0x0010, 0x010802);
        host.addDevice("0000:01:00.1", 7).driver("snd_hda_intel");
        host.addDevice("0000:03:00.0", -1).driver(null);
        PciSysfs sysfs = host.sysfs();

        HostPciDevice nvme = sysfs.device(PciBdf.parse("0000:01:00.0")).orElseThrow();
        assertEquals(new HostPciDevice(PciBdf.parse("0000:01:00.0"), 0x1b36, 0x0010, 0x010802,
                Optional.of("vfio-pci"), Optional.of(new IommuGroupId(7))), nvme);
        assertTrue(nvme.boundToVfioPci());
        HostPciDevice loose = sysfs.device(PciBdf.parse("0000:03:00.0")).orElseThrow();
        assertEquals(Optional.empty(), loose.driver());
        assertEquals(Optional.empty(), loose.iommuGroup());
        assertFalse(loose.blocksViability());
        assertEquals(Optional.empty(), sysfs.device(PciBdf.parse("0000:04:00.0")));
    }

    @Test
    void readsAGroupWithItsDevicesAndReservedRegions() {
        FakeHost host = new FakeHost(root);
        host.addDevice("0000:01:00.1", 7).driver("snd_hda_intel");
        host.addDevice("0000:01:00.0", 7);
        host.reservedRegions(7, FakeHost.MSI_ONLY + "0x00000000000a0000 0x00000000000bffff direct-relaxable\n");
        HostIommuGroup g = host.sysfs().group(new IommuGroupId(7)).orElseThrow();
        assertEquals(List.of("0000:01:00.0", "0000:01:00.1"), g.devices().stream().map(d -> d.address().toString()).toList());
        assertEquals(List.of("0000:01:00.1"), g.devicesBlockingViability().stream().map(d -> d.address().toString()).toList());
        assertEquals(List.of(
                new ReservedIovaRegion(IovaRange.ofInclusive(Iova.of(0xfee0_0000L), Iova.of(0xfeef_ffffL)), ReservedRegionType.MSI),
                new ReservedIovaRegion(IovaRange.ofInclusive(Iova.of(0xa_0000L), Iova.of(0xb_ffffL)),
                        ReservedRegionType.DIRECT_RELAXABLE)), g.reservedRegions());
        assertFalse(g.noIommu());
        assertEquals(Optional.empty(), host.sysfs().group(new IommuGroupId(8)));
        assertTrue(host.sysfs().exists(host.sysfs().vfioGroupNode(new IommuGroupId(7))));
    }

    @Test
    void aGroupWithoutReservedRegionsFileOrWithANoIommuName() {
        FakeHost host = new FakeHost(root);
        host.addDevice("0000:01:00.0", 2);
        host.reservedRegions(2, null).noIommu(2, true, true);
        HostIommuGroup g = host.sysfs().group(new IommuGroupId(2)).orElseThrow();
        assertEquals(List.of(), g.reservedRegions());
        assertTrue(g.noIommu());
        assertEquals(Optional.of("vfio-noiommu"), g.name());
        assertTrue(host.sysfs().exists(host.sysfs().noIommuGroupNode(new IommuGroupId(2))));
        assertFalse(host.sysfs().exists(host.sysfs().vfioGroupNode(new IommuGroupId(2))));
    }

    @Test
    void aGarbledIdFileIsNamed() throws Exception {
        FakeHost host = new FakeHost(root);
        host.addDevice("0000:01:00.0", 7);
        Path vendor = root.resolve("sys/devices/pci0000:00/0000:01:00.0/vendor");
        Files.writeString(vendor, "1b36\n");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> host.sysfs().device(PciBdf.parse("0000:01:00.0")));
        assertEquals(root.resolve("sys/bus/pci/devices/0000:01:00.0/vendor") + " holds \"1b36\", not a 0x<hex> number",
                e.getCause().getMessage());
    }
}
