/**
 * Assigned PCI functions in a running VM: {@link dev.jvmm.vfio.pci.VfioPciDevice} is the guest's PCI
 * function (a {@code dev.jvmm.pci.PciDevice}) in front of a {@link dev.jvmm.vfio.VfioDevice};
 * {@link dev.jvmm.vfio.pci.AssignedDevices} attaches a VM's set of them, and
 * {@link dev.jvmm.vfio.pci.VfioPciProvider} offers that to {@code bin/vmm} as the {@code vfio-pci}
 * {@code DeviceProvider}. KVM is reached only through {@link dev.jvmm.vfio.pci.KvmBinding}, VFIO only
 * through {@code VfioDevice}, so tests run the whole device against fakes.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Zero exits on the data path: every mmap-able page of a memory BAR is a KVM memory slot while the
 *       BAR decodes inside its guest window; only the MSI-X table (always emulated), what the kernel does
 *       not let be mmap'ed, I/O BARs and the ROM are trapped and forwarded.</li>
 *   <li>No VMM thread on the interrupt path: vfio-pci signals eventfds that KVM irqfds turn into the
 *       guest's MSI messages (through MSI routes) or into the INTx GSI (level, with resample).</li>
 *   <li>Kernel order: routes and irqfds before {@code VFIO_DEVICE_SET_IRQS} enables MSI/MSI-X; an irqfd
 *       is deassigned before its route changes or goes; VFIO disables an index before its eventfds are
 *       closed; INTx is off in VFIO while MSI or MSI-X is on.</li>
 *   <li>Teardown leaves nothing: memory slots and bus ranges out before the device's mmaps go, eventfds
 *       closed, routes freed; then the VFIO assignment (reset, DMA unmapped, fds closed) before guest RAM.</li>
 *   <li>No guest access throws; dropped ones are counted. Host failures propagate.</li>
 * </ul>
 */
package dev.jvmm.vfio.pci;
