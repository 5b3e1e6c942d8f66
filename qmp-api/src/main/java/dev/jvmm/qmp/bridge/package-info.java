/**
 * The bridge between vmm-core and the QMP server: {@link dev.jvmm.qmp.bridge.ControlPlaneVmControl}
 * adapts vmm-core's {@link dev.jvmm.vmm.VmControlPlane} to the server's {@link dev.jvmm.qmp.VmControl}
 * (commands, QEMU-shaped inventories, events), and {@link dev.jvmm.qmp.bridge.QmpChannelProvider} is the
 * {@link dev.jvmm.vmm.ControlChannelProvider} that {@code bin/vmm -qmp} finds through
 * {@link java.util.ServiceLoader}.
 *
 * <p>Invariants: nothing here blocks the event loop (every request is a control-plane future completed on
 * the VM's control thread); events are republished on the control thread in the order the control plane
 * publishes them, before the command that caused them completes; refusals
 * ({@link dev.jvmm.vmm.VmControlException}) become GenericErrors with the same text.
 */
package dev.jvmm.qmp.bridge;
