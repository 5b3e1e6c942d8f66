/**
 * The guest's view of an assigned PCI function's configuration space, built table-driven in the manner
 * of Cloud Hypervisor's {@code pci/} and kvmtool's {@code vfio/pci.c}: every byte of the 256-byte header
 * is governed by one {@link dev.jvmm.vfio.config.RegisterRule} (emulated / guest-writable /
 * write-1-to-clear / passed-to-device / preserved masks, each with a reason), and
 * {@link dev.jvmm.vfio.config.VfioConfigSpace} applies the table to guest reads and writes. The physical
 * device is reached only through {@link dev.jvmm.vfio.config.DeviceConfigAccess}.
 *
 * <p>Invariants:
 * <ul>
 *   <li>No guest access throws; malformed ones read all ones, are dropped, counted and logged at a
 *       limited rate. Only host failures (device access, listeners) propagate.</li>
 *   <li>Identity (vendor, device, class, revision, subsystem, interrupt pin), header type (multi-function
 *       bit cleared), capability pointer and each exposed capability's ID and next pointer are read-only
 *       and fixed when the view is built.</li>
 *   <li>Only capabilities on the allow-list ({@link dev.jvmm.vfio.config.ConfigSpaceOptions}: PM, MSI,
 *       PCIe, MSI-X) are reachable from 0x34; hidden capabilities' bytes, reserved bytes and the whole
 *       extended space 0x100-0xfff read 0 and ignore writes. A capability whose structure does not fit
 *       before the next one, or an MSI-X capability whose table or PBA lies outside its BAR, is hidden.</li>
 *   <li>BARs and the expansion ROM are emulated: sizing comes from the VFIO region sizes, the guest never
 *       writes the device's BARs. A BAR is reported mapped ({@link dev.jvmm.vfio.config.BarListener})
 *       only while it decodes and lies wholly inside its guest window
 *       ({@link dev.jvmm.vfio.config.GuestWindows}) without overlapping another BAR of the device: no guest
 *       write can make the VMM map outside the windows.</li>
 *   <li>MSI and MSI-X (capability registers and the MSI-X table) are emulated per vector and never
 *       written to the device's config space; changes are reported to an
 *       {@link dev.jvmm.vfio.config.InterruptListener} for the VMM to program VFIO and KVM.</li>
 *   <li>Device quirks are data ({@link dev.jvmm.vfio.config.ConfigQuirk}) with a reason and a reference.</li>
 * </ul>
 */
package dev.jvmm.vfio.config;
