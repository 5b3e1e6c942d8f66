/**
 * The VFIO and iommufd userspace ABI as Java memory layouts and numbers, in the style of
 * {@code dev.jvmm.kvm.sys} (whose {@code Layouts} and {@code Ioctl} this package reuses): one final class
 * per kernel struct of linux/vfio.h and linux/iommufd.h, the ioctl request numbers
 * ({@link dev.jvmm.vfio.sys.VfioIoctls}, {@link dev.jvmm.vfio.sys.IommufdIoctls}), the other numbers
 * ({@link dev.jvmm.vfio.sys.VfioConstants}), and {@link dev.jvmm.vfio.sys.VfioCapChain}, which walks the
 * capability chains INFO ioctls return. This is a {@code sys} package: it uses {@code java.lang.foreign}
 * and nothing outside a {@code sys} package may see its types.
 *
 * <p>Each struct class has {@code LAYOUT}, a {@code StructLayout} named after the C struct tag with the
 * header's field names in the header's order; one {@code VarHandle} per field the VMM touches, named as
 * the field in upper case; typed static accessors; and, for structs that start with {@code argsz} (VFIO)
 * or {@code size} (iommufd), an {@code allocate} that zeroes the struct and sets that field from the
 * layout. VFIO and iommufd requests encode no size ({@code _IO}): {@code argsz}/{@code size} is how the
 * kernel tells struct versions apart, and it reads only the fields its version knows.
 *
 * <p>Invariant, enforced by {@code VfioAbiTest}: every size, alignment, member offset and size, ioctl
 * number and constant here equals what gcc computes from C declarations. For linux/vfio.h as in Debian
 * 12's linux-libc-dev (6.1) those are the installed headers. Two groups are newer than those headers:
 * linux/iommufd.h (Linux 6.2) and the VFIO device-cdev structs, ioctls and flags
 * ({@code vfio_device_bind_iommufd}, {@code vfio_device_attach_iommufd_pt},
 * {@code vfio_device_detach_iommufd_pt}; Linux 6.6, with later fields). When the installed headers lack
 * them the test compiles declarations written from the kernel's uapi headers instead, and additionally
 * compares them with hand-computed sizes and offsets; it says in its output which source it used.
 */
package dev.jvmm.vfio.sys;
