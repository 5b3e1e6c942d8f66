package dev.jvmm.vfio.sys;

/**
 * Numbers from linux/vfio.h other than ioctl requests, named as there: API version and IOMMU models
 * (for {@code VFIO_CHECK_EXTENSION}/{@code VFIO_SET_IOMMU}), flag bits of the INFO structs, capability
 * IDs, and the fixed vfio-pci region and IRQ indexes.
 */
public final class VfioConstants {

    public static final int VFIO_API_VERSION = 0;

    // IOMMU models and extensions.
    public static final int VFIO_TYPE1_IOMMU = 1;
    public static final int VFIO_TYPE1v2_IOMMU = 3;
    public static final int VFIO_DMA_CC_IOMMU = 4;
    public static final int VFIO_NOIOMMU_IOMMU = 8;
    public static final int VFIO_UNMAP_ALL = 9;

    // vfio_group_status.flags
    public static final int VFIO_GROUP_FLAGS_VIABLE = 1 << 0;
    public static final int VFIO_GROUP_FLAGS_CONTAINER_SET = 1 << 1;

    // vfio_device_info.flags
    public static final int VFIO_DEVICE_FLAGS_RESET = 1 << 0;
    public static final int VFIO_DEVICE_FLAGS_PCI = 1 << 1;
    public static final int VFIO_DEVICE_FLAGS_CAPS = 1 << 7;

    // vfio_region_info.flags and capability IDs
    public static final int VFIO_REGION_INFO_FLAG_READ = 1 << 0;
    public static final int VFIO_REGION_INFO_FLAG_WRITE = 1 << 1;
    public static final int VFIO_REGION_INFO_FLAG_MMAP = 1 << 2;
    public static final int VFIO_REGION_INFO_FLAG_CAPS = 1 << 3;
    public static final int VFIO_REGION_INFO_CAP_SPARSE_MMAP = 1;
    public static final int VFIO_REGION_INFO_CAP_TYPE = 2;
    public static final int VFIO_REGION_INFO_CAP_MSIX_MAPPABLE = 3;

    // vfio-pci region indexes (an enum in the header)
    public static final int VFIO_PCI_BAR0_REGION_INDEX = 0;
    public static final int VFIO_PCI_BAR1_REGION_INDEX = 1;
    public static final int VFIO_PCI_BAR2_REGION_INDEX = 2;
    public static final int VFIO_PCI_BAR3_REGION_INDEX = 3;
    public static final int VFIO_PCI_BAR4_REGION_INDEX = 4;
    public static final int VFIO_PCI_BAR5_REGION_INDEX = 5;
    public static final int VFIO_PCI_ROM_REGION_INDEX = 6;
    public static final int VFIO_PCI_CONFIG_REGION_INDEX = 7;
    public static final int VFIO_PCI_VGA_REGION_INDEX = 8;
    public static final int VFIO_PCI_NUM_REGIONS = 9;

    // vfio-pci IRQ indexes (an enum in the header)
    public static final int VFIO_PCI_INTX_IRQ_INDEX = 0;
    public static final int VFIO_PCI_MSI_IRQ_INDEX = 1;
    public static final int VFIO_PCI_MSIX_IRQ_INDEX = 2;
    public static final int VFIO_PCI_ERR_IRQ_INDEX = 3;
    public static final int VFIO_PCI_REQ_IRQ_INDEX = 4;
    public static final int VFIO_PCI_NUM_IRQS = 5;

    // vfio_irq_info.flags
    public static final int VFIO_IRQ_INFO_EVENTFD = 1 << 0;
    public static final int VFIO_IRQ_INFO_MASKABLE = 1 << 1;
    public static final int VFIO_IRQ_INFO_AUTOMASKED = 1 << 2;
    public static final int VFIO_IRQ_INFO_NORESIZE = 1 << 3;

    // vfio_irq_set.flags: one DATA_* type and one ACTION_*
    public static final int VFIO_IRQ_SET_DATA_NONE = 1 << 0;
    public static final int VFIO_IRQ_SET_DATA_BOOL = 1 << 1;
    public static final int VFIO_IRQ_SET_DATA_EVENTFD = 1 << 2;
    public static final int VFIO_IRQ_SET_ACTION_MASK = 1 << 3;
    public static final int VFIO_IRQ_SET_ACTION_UNMASK = 1 << 4;
    public static final int VFIO_IRQ_SET_ACTION_TRIGGER = 1 << 5;
    public static final int VFIO_IRQ_SET_DATA_TYPE_MASK =
            VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_DATA_EVENTFD;
    public static final int VFIO_IRQ_SET_ACTION_TYPE_MASK =
            VFIO_IRQ_SET_ACTION_MASK | VFIO_IRQ_SET_ACTION_UNMASK | VFIO_IRQ_SET_ACTION_TRIGGER;

    // vfio_iommu_type1_info.flags and capability IDs
    public static final int VFIO_IOMMU_INFO_PGSIZES = 1 << 0;
    public static final int VFIO_IOMMU_INFO_CAPS = 1 << 1;
    public static final int VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE = 1;
    public static final int VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION = 2;
    public static final int VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL = 3;

    // vfio_iommu_type1_dma_map.flags / vfio_iommu_type1_dma_unmap.flags
    public static final int VFIO_DMA_MAP_FLAG_READ = 1 << 0;
    public static final int VFIO_DMA_MAP_FLAG_WRITE = 1 << 1;
    public static final int VFIO_DMA_MAP_FLAG_VADDR = 1 << 2;
    public static final int VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP = 1 << 0;
    public static final int VFIO_DMA_UNMAP_FLAG_ALL = 1 << 1;
    public static final int VFIO_DMA_UNMAP_FLAG_VADDR = 1 << 2;

    // Device cdev flags (Linux 6.6+ structs, later kernels' flags); not in the 6.1 headers.
    public static final int VFIO_DEVICE_BIND_FLAG_TOKEN = 1 << 0;
    public static final int VFIO_DEVICE_ATTACH_PASID = 1 << 0;
    public static final int VFIO_DEVICE_DETACH_PASID = 1 << 0;

    private VfioConstants() {}
}
