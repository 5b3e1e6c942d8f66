/**
 * Guest memory as the VMM sees it: typed addresses, the guest-physical layout, and the plan for
 * exposing guest RAM to assigned devices through the host IOMMU.
 *
 * <h2>Address spaces</h2>
 * Three address spaces meet in a VMM with device assignment, each its own record type so that one
 * cannot be passed for another:
 * <ul>
 *   <li>{@link dev.jvmm.memory.Gpa} guest-physical: what the guest CPUs and the guest's page tables
 *       use, what KVM memory slots and {@link dev.jvmm.memory.GuestLayout} describe;</li>
 *   <li>{@link dev.jvmm.memory.Iova} I/O virtual: what an assigned device emits for DMA, translated by
 *       the IOMMU through VFIO mappings;</li>
 *   <li>{@link dev.jvmm.memory.Hva} host virtual: where the VMM process has guest RAM mapped.</li>
 * </ul>
 * All three are unsigned 64-bit, printed in hex, compared unsigned, and have no arithmetic besides
 * checked methods that throw {@link dev.jvmm.memory.AddressOverflowException} rather than wrap.
 * {@link dev.jvmm.memory.GpaRange} and {@link dev.jvmm.memory.IovaRange} are non-empty ranges that never
 * pass {@code 2^64}; they are read through their inclusive last address so a range may end exactly there.
 *
 * <h2>Layout</h2>
 * {@link dev.jvmm.memory.GuestLayout} places RAM below 3 GiB and from 4 GiB, keeps [3 GiB, 4 GiB) as the
 * PCI hole (32-bit BARs, PCIe ECAM, IOAPIC, LAPIC, the MSI window at 0xfee00000) and puts a 64-bit BAR
 * window above RAM. Invariant: RAM regions are sorted, disjoint, page-aligned and never meet an MMIO
 * window.
 *
 * <h2>IOMMU plan</h2>
 * Guest RAM is DMA-mapped with IOVA = GPA. The host IOMMU reserves some IOVAs (the kernel lists them in
 * {@code /sys/kernel/iommu_groups/N/reserved_regions}, and VFIO reports the complement as valid IOVA
 * ranges); {@link dev.jvmm.memory.IommuPlan} refuses a layout whose RAM covers a reserved range, before
 * anything is mapped, and says which range and what RAM size would fit. The x86 MSI window lies in the
 * PCI hole, so the default layout never meets it.
 *
 * <p>Translation GPA → HVA → IOVA happens in one place, where the DMA mappings are issued. The package
 * uses nothing from {@code java.lang.foreign}; the native layer lives in {@code dev.jvmm.memory.sys}.
 */
package dev.jvmm.memory;
