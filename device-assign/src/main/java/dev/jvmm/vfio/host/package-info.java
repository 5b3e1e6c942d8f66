/**
 * The host side of device assignment as sysfs describes it: PCI functions
 * ({@link dev.jvmm.pci.PciBdf}, {@link dev.jvmm.vfio.host.HostPciDevice}), the IOMMU groups
 * they belong to ({@link dev.jvmm.vfio.host.HostIommuGroup}) and the VFIO nodes of those groups, read by
 * {@link dev.jvmm.vfio.host.PciSysfs} below a root directory so that tests can fake the tree.
 *
 * <p>Invariants: this package only reads and reports facts; deciding what they mean (refusing a
 * no-IOMMU group, naming the devices that make a group non-viable and the commands that fix it) belongs
 * to {@code dev.jvmm.vfio}. The records are snapshots taken when asked; nothing here caches sysfs.
 */
package dev.jvmm.vfio.host;
