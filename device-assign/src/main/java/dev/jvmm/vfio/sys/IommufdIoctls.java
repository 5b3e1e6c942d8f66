package dev.jvmm.vfio.sys;

import static dev.jvmm.kvm.sys.Ioctl._IO;

/**
 * The iommufd ioctl request numbers (linux/iommufd.h, Linux 6.2+; not in the 6.1 headers), issued on
 * {@code /dev/iommu}. Like VFIO's they are {@code _IO}: each argument struct starts with its own
 * {@code size}. The command numbers are the header's {@code enum} values.
 */
public final class IommufdIoctls {

    /** {@code IOMMUFD_TYPE}: {@code ';'}, shared with VFIO; the command numbers keep them apart. */
    public static final int IOMMUFD_TYPE = ';';

    public static final int IOMMUFD_CMD_BASE = 0x80;
    public static final int IOMMUFD_CMD_DESTROY = IOMMUFD_CMD_BASE;
    public static final int IOMMUFD_CMD_IOAS_ALLOC = 0x81;
    public static final int IOMMUFD_CMD_IOAS_ALLOW_IOVAS = 0x82;
    public static final int IOMMUFD_CMD_IOAS_COPY = 0x83;
    public static final int IOMMUFD_CMD_IOAS_IOVA_RANGES = 0x84;
    public static final int IOMMUFD_CMD_IOAS_MAP = 0x85;
    public static final int IOMMUFD_CMD_IOAS_UNMAP = 0x86;

    public static final long IOMMU_DESTROY = _IO(IOMMUFD_TYPE, IOMMUFD_CMD_DESTROY);                 // iommu_destroy
    public static final long IOMMU_IOAS_ALLOC = _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_ALLOC);           // iommu_ioas_alloc
    public static final long IOMMU_IOAS_IOVA_RANGES = _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_IOVA_RANGES); // iommu_ioas_iova_ranges
    public static final long IOMMU_IOAS_MAP = _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_MAP);               // iommu_ioas_map
    public static final long IOMMU_IOAS_UNMAP = _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_UNMAP);           // iommu_ioas_unmap

    // enum iommufd_ioas_map_flags, for iommu_ioas_map.flags.
    public static final int IOMMU_IOAS_MAP_FIXED_IOVA = 1 << 0;
    public static final int IOMMU_IOAS_MAP_WRITEABLE = 1 << 1;
    public static final int IOMMU_IOAS_MAP_READABLE = 1 << 2;

    private IommufdIoctls() {}
}
