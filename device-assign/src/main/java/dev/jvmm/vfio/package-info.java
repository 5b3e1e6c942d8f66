/**
 * Device assignment through VFIO's container/group interface, written as the sequence the kernel's VFIO
 * documentation gives: {@link dev.jvmm.vfio.VfioAssignment#attach} reads top to bottom through
 * {@link dev.jvmm.vfio.VfioContainer} (container, IOMMU model), {@link dev.jvmm.vfio.VfioGroup} (viability,
 * attach), {@link dev.jvmm.vfio.KvmVfioDevice} (KVM's view of the groups), {@link dev.jvmm.vfio.VfioDma}
 * (guest RAM mapped at IOVA = GPA) and {@link dev.jvmm.vfio.VfioDevice} (regions, IRQs, reset, config
 * space). Every kernel call goes through {@link dev.jvmm.vfio.kernel.VfioKernel}; host facts come from
 * {@link dev.jvmm.vfio.host.PciSysfs}.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Each object owns what it opened and is {@link java.lang.AutoCloseable}. Teardown order, enforced by
 *       {@link dev.jvmm.vfio.VfioContainer#close()}: devices (mmaps unmapped, reset, fd closed) before DMA
 *       unmapping; DMA unmapping before the last group leaves the container and before guest RAM is
 *       unmapped; KVM's group delete before the group fd closes; groups before the container.</li>
 *   <li>A set-up failure undoes everything done before it; none leaves an fd, a DMA mapping or a KVM
 *       registration behind.</li>
 *   <li>Guest RAM is never mapped for a no-IOMMU group: without an IOMMU the device could DMA anywhere.</li>
 *   <li>Failures name the device or group and the fix ({@link dev.jvmm.vfio.VfioException}, or
 *       {@code ErrnoException} with advice attached for a refused syscall).</li>
 * </ul>
 */
package dev.jvmm.vfio;
