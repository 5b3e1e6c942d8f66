/**
 * Conventional PCI as the guest sees it: function addresses ({@link dev.jvmm.pci.PciBdf}), config
 * spaces ({@link dev.jvmm.pci.PciConfigSpace}), a bus ({@link dev.jvmm.pci.PciBus}) with its host bridge
 * ({@link dev.jvmm.pci.PciHostBridge}), the two ways to reach config space (mechanism #1 at 0xcf8/0xcfc,
 * {@link dev.jvmm.pci.PciConfigIo}, and PCIe ECAM in MMIO, {@link dev.jvmm.pci.PciEcam}), and BAR
 * placement ({@link dev.jvmm.pci.PciBarAllocator}).
 *
 * <p>Config space is table-driven, after Cloud Hypervisor: registers plus per-byte writable and
 * write-1-to-clear masks, the writable header fields a static table with spec references. BARs are
 * masks too, so the sizing protocol (write all-ones, read back the size mask with the type bits) and
 * natural alignment of guest-written addresses fall out of the masks, as in hardware.
 *
 * <p>Invariants:
 * <ul>
 *   <li>No guest access throws. Absent functions, bad sizes and out-of-range offsets read all-ones;
 *       such writes are dropped; malformed accesses are counted and logged at a limited rate.</li>
 *   <li>Read-only bits never change through guest writes: IDs, class, header type, capability
 *       pointers and bodies (unless a device opens them), BAR type bits and BAR bits below the size.</li>
 *   <li>{@link dev.jvmm.pci.PciDevice#barMoved} reports every change of where a BAR decodes (Command
 *       enable bits and address together), and nothing else.</li>
 *   <li>Nothing here touches the FFM API (only {@code ..sys..} packages may): assigned devices plug in through
 *       {@link dev.jvmm.pci.PciDevice}.</li>
 * </ul>
 */
package dev.jvmm.pci;
