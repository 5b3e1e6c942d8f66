package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Ioctl._IO;

/**
 * The VFIO ioctl request numbers, each defined as linux/vfio.h defines it. VFIO encodes no size or
 * direction in its requests (every one is {@code _IO}): the argument struct carries its own size in
 * {@code argsz}, which the struct classes set from their layouts. Grouped by the fd they are issued on;
 * the comment after each says what the third ioctl argument is.
 */
public final class VfioIoctls {

    /** {@code VFIO_TYPE}, the ioctl type byte of every VFIO request: {@code ';'}. */
    public static final int VFIO_TYPE = ';';
    /** {@code VFIO_BASE}: request numbers count up from here. */
    public static final int VFIO_BASE = 100;

    // Container ioctls, on /dev/vfio/vfio.
    public static final long VFIO_GET_API_VERSION = _IO(VFIO_TYPE, VFIO_BASE + 0);        // none
    public static final long VFIO_CHECK_EXTENSION = _IO(VFIO_TYPE, VFIO_BASE + 1);        // VFIO_TYPE1v2_IOMMU, ...
    public static final long VFIO_SET_IOMMU = _IO(VFIO_TYPE, VFIO_BASE + 2);              // IOMMU model
    public static final long VFIO_IOMMU_GET_INFO = _IO(VFIO_TYPE, VFIO_BASE + 12);        // vfio_iommu_type1_info
    public static final long VFIO_IOMMU_MAP_DMA = _IO(VFIO_TYPE, VFIO_BASE + 13);         // vfio_iommu_type1_dma_map
    public static final long VFIO_IOMMU_UNMAP_DMA = _IO(VFIO_TYPE, VFIO_BASE + 14);       // vfio_iommu_type1_dma_unmap

    // Group ioctls, on /dev/vfio/<group>.
    public static final long VFIO_GROUP_GET_STATUS = _IO(VFIO_TYPE, VFIO_BASE + 3);       // vfio_group_status
    public static final long VFIO_GROUP_SET_CONTAINER = _IO(VFIO_TYPE, VFIO_BASE + 4);    // int * container fd
    public static final long VFIO_GROUP_UNSET_CONTAINER = _IO(VFIO_TYPE, VFIO_BASE + 5);  // none
    public static final long VFIO_GROUP_GET_DEVICE_FD = _IO(VFIO_TYPE, VFIO_BASE + 6);    // char * "0000:06:0d.0"

    // Device ioctls, on the fd VFIO_GROUP_GET_DEVICE_FD returns or /dev/vfio/devices/vfioN.
    public static final long VFIO_DEVICE_GET_INFO = _IO(VFIO_TYPE, VFIO_BASE + 7);        // vfio_device_info
    public static final long VFIO_DEVICE_GET_REGION_INFO = _IO(VFIO_TYPE, VFIO_BASE + 8); // vfio_region_info
    public static final long VFIO_DEVICE_GET_IRQ_INFO = _IO(VFIO_TYPE, VFIO_BASE + 9);    // vfio_irq_info
    public static final long VFIO_DEVICE_SET_IRQS = _IO(VFIO_TYPE, VFIO_BASE + 10);       // vfio_irq_set
    public static final long VFIO_DEVICE_RESET = _IO(VFIO_TYPE, VFIO_BASE + 11);          // none
    public static final long VFIO_DEVICE_GET_PCI_HOT_RESET_INFO = _IO(VFIO_TYPE, VFIO_BASE + 12); // vfio_pci_hot_reset_info

    // Device cdev ioctls (Linux 6.6+), on /dev/vfio/devices/vfioN; not in the 6.1 headers.
    public static final long VFIO_DEVICE_BIND_IOMMUFD = _IO(VFIO_TYPE, VFIO_BASE + 18);      // vfio_device_bind_iommufd
    public static final long VFIO_DEVICE_ATTACH_IOMMUFD_PT = _IO(VFIO_TYPE, VFIO_BASE + 19); // vfio_device_attach_iommufd_pt
    public static final long VFIO_DEVICE_DETACH_IOMMUFD_PT = _IO(VFIO_TYPE, VFIO_BASE + 20); // vfio_device_detach_iommufd_pt

    private VfioIoctls() {}
}
