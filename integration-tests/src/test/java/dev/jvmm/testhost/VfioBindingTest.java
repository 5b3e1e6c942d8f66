package dev.jvmm.testhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the bind script prints, as seen on the three kernel modes, read into a {@link VfioBinding}. */
class VfioBindingTest {
    @Test
    void stockKernelType1Group() {
        VfioBinding b = VfioBinding.parse("bdf=0000:00:02.0\ngroup=2\ngroup_name=\nvfio_dev=vfio0\n"
                + "dev_vfio=2 vfio \ndev_iommu=no\n");
        assertEquals(new PciAddress("0000:00:02.0"), b.device());
        assertEquals("2", b.iommuGroup());
        assertEquals(List.of("2", "vfio"), b.devVfio());
        assertEquals(Optional.of("vfio0"), b.vfioDevice());
        assertFalse(b.hasDeviceCdev(), "a vfio-dev sysfs entry without /dev/vfio/devices/vfio0 is no cdev");
        assertFalse(b.devIommu());
    }

    @Test
    void featureKernelCdevAndNoIommu() {
        VfioBinding cdev = VfioBinding.parse("bdf=0000:00:02.0\ngroup=2\ngroup_name=\nvfio_dev=vfio0\n"
                + "dev_vfio=2 devices devices/vfio0 vfio \ndev_iommu=yes\n");
        assertTrue(cdev.hasDeviceCdev());
        assertTrue(cdev.devIommu());

        VfioBinding noiommu = VfioBinding.parse("bdf=0000:00:02.0\ngroup=0\ngroup_name=vfio-noiommu\nvfio_dev=vfio0\n"
                + "dev_vfio=devices devices/vfio0 noiommu-0 vfio \ndev_iommu=yes\n");
        assertEquals("vfio-noiommu", noiommu.groupName());
        assertTrue(noiommu.devVfio().contains("noiommu-0"));
    }

    @Test
    void incompleteOutputIsAHostFailureWithTheOutput() {
        TestHostException e = assertThrows(TestHostException.class, () -> VfioBinding.parse("bdf=0000:00:02.0\n"));
        assertTrue(e.getMessage().contains("printed no group=") && e.getMessage().contains("bdf=0000:00:02.0"),
                e.getMessage());
    }

    @Test
    void pciAddressesAreChecked() {
        assertEquals("0000:00:1f.3", PciAddress.parse(" 0000:00:1f.3\n").value());
        for (String bad : List.of("", "00:02.0", "0000:00:20.0", "0000:00:02.8", "0000:00:02.0 ", "0000:0G:02.0")) {
            assertThrows(IllegalArgumentException.class, () -> new PciAddress(bad), bad);
        }
    }
}
