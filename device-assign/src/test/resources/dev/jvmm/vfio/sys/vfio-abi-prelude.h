/*
 * Prelude of the program VfioAbiTest compiles (via vmm-core's CAbiProbe) to read the VFIO and iommufd ABI
 * from C declarations. CAbiProbe appends a main() that prints each probed expression.
 *
 * linux/vfio.h comes from the installed headers (Debian: linux-libc-dev). Two groups may be newer than
 * those headers; for each, this file uses the installed headers when they have it and otherwise declares
 * it here, written from the kernel's include/uapi/linux/{iommufd,vfio}.h. JVMM_*_FROM_HEADERS (1: installed
 * headers, 0: the declarations below) tells VfioAbiTest which source it checked.
 */
#include <linux/ioctl.h>
#include <linux/types.h>
#include <linux/vfio.h>

/* ---- linux/iommufd.h (Linux 6.2): the subset the Java side models ---- */
#if __has_include(<linux/iommufd.h>)
#include <linux/iommufd.h>
#define JVMM_IOMMUFD_FROM_HEADERS 1
#else
#define JVMM_IOMMUFD_FROM_HEADERS 0
#define IOMMUFD_TYPE (';')
enum {
	IOMMUFD_CMD_BASE = 0x80,
	IOMMUFD_CMD_DESTROY = IOMMUFD_CMD_BASE,
	IOMMUFD_CMD_IOAS_ALLOC,
	IOMMUFD_CMD_IOAS_ALLOW_IOVAS,
	IOMMUFD_CMD_IOAS_COPY,
	IOMMUFD_CMD_IOAS_IOVA_RANGES,
	IOMMUFD_CMD_IOAS_MAP,
	IOMMUFD_CMD_IOAS_UNMAP,
};
struct iommu_destroy { __u32 size; __u32 id; };
#define IOMMU_DESTROY _IO(IOMMUFD_TYPE, IOMMUFD_CMD_DESTROY)
struct iommu_ioas_alloc { __u32 size; __u32 flags; __u32 out_ioas_id; };
#define IOMMU_IOAS_ALLOC _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_ALLOC)
struct iommu_iova_range { __aligned_u64 start; __aligned_u64 last; };
struct iommu_ioas_iova_ranges {
	__u32 size; __u32 ioas_id; __u32 num_iovas; __u32 __reserved;
	__aligned_u64 allowed_iovas; __aligned_u64 out_iova_alignment;
};
#define IOMMU_IOAS_IOVA_RANGES _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_IOVA_RANGES)
enum iommufd_ioas_map_flags {
	IOMMU_IOAS_MAP_FIXED_IOVA = 1 << 0,
	IOMMU_IOAS_MAP_WRITEABLE = 1 << 1,
	IOMMU_IOAS_MAP_READABLE = 1 << 2,
};
struct iommu_ioas_map {
	__u32 size; __u32 flags; __u32 ioas_id; __u32 __reserved;
	__aligned_u64 user_va; __aligned_u64 length; __aligned_u64 iova;
};
#define IOMMU_IOAS_MAP _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_MAP)
struct iommu_ioas_unmap { __u32 size; __u32 ioas_id; __aligned_u64 iova; __aligned_u64 length; };
#define IOMMU_IOAS_UNMAP _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_UNMAP)
#endif

/*
 * ---- VFIO device cdev (Linux 6.6), in the current mainline layout ----
 * VFIO_DEVICE_BIND_FLAG_TOKEN came with the newest of the modelled fields (token_uuid_ptr); headers
 * without it describe shorter versions of these structs, so the declarations below are used under other
 * tags, and the struct names the probes use are macros for those tags.
 */
#ifdef VFIO_DEVICE_BIND_FLAG_TOKEN
#define JVMM_VFIO_CDEV_FROM_HEADERS 1
#else
#define JVMM_VFIO_CDEV_FROM_HEADERS 0
struct jvmm_vfio_device_bind_iommufd {
	__u32 argsz; __u32 flags; __s32 iommufd; __u32 out_devid; __aligned_u64 token_uuid_ptr;
};
struct jvmm_vfio_device_attach_iommufd_pt { __u32 argsz; __u32 flags; __u32 pt_id; __u32 pasid; };
struct jvmm_vfio_device_detach_iommufd_pt { __u32 argsz; __u32 flags; __u32 pasid; };
#define vfio_device_bind_iommufd jvmm_vfio_device_bind_iommufd
#define vfio_device_attach_iommufd_pt jvmm_vfio_device_attach_iommufd_pt
#define vfio_device_detach_iommufd_pt jvmm_vfio_device_detach_iommufd_pt
#define VFIO_DEVICE_BIND_FLAG_TOKEN (1 << 0)
#ifndef VFIO_DEVICE_BIND_IOMMUFD
#define VFIO_DEVICE_BIND_IOMMUFD _IO(VFIO_TYPE, VFIO_BASE + 18)
#endif
#ifndef VFIO_DEVICE_ATTACH_IOMMUFD_PT
#define VFIO_DEVICE_ATTACH_IOMMUFD_PT _IO(VFIO_TYPE, VFIO_BASE + 19)
#endif
#ifndef VFIO_DEVICE_DETACH_IOMMUFD_PT
#define VFIO_DEVICE_DETACH_IOMMUFD_PT _IO(VFIO_TYPE, VFIO_BASE + 20)
#endif
#ifndef VFIO_DEVICE_ATTACH_PASID
#define VFIO_DEVICE_ATTACH_PASID (1 << 0)
#endif
#ifndef VFIO_DEVICE_DETACH_PASID
#define VFIO_DEVICE_DETACH_PASID (1 << 0)
#endif
#endif
