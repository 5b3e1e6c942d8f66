/**
 * The QMP control channel's API, free of Vert.x and Jackson types: {@link dev.jvmm.qmp.VmControl}, the
 * narrow view of a VM the server drives (run state, PCI and vCPU inventory, events); the
 * {@link dev.jvmm.qmp.VmEvent}s it publishes through a {@link dev.jvmm.qmp.VmEventSource}; the records that
 * mirror QEMU's QAPI result types ({@link dev.jvmm.qmp.PciInfo} and friends, {@link dev.jvmm.qmp.CpuInfo});
 * the error model ({@link dev.jvmm.qmp.QmpException} with a {@link dev.jvmm.qmp.QmpErrorClass}); and the
 * server options ({@link dev.jvmm.qmp.QmpServerOptions}, {@link dev.jvmm.qmp.QmpEndpoint}). The server
 * itself is {@code dev.jvmm.qmp.transport.QmpServer}.
 *
 * <p>Invariants: records validate on construction (PCI numbers within their register widths, a BAR address
 * is a real address or {@link dev.jvmm.qmp.PciMemoryRegion#UNASSIGNED}); enums carry QEMU's wire names;
 * {@code VmControl} never blocks its caller, and a state change publishes its event before its future
 * completes.
 */
package dev.jvmm.qmp;
