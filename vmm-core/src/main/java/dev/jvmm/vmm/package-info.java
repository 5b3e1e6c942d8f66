/**
 * Assembled VMs, their control plane and the {@code bin/vmm} entry point: the pieces of
 * {@code dev.jvmm.kvm}, {@code dev.jvmm.bus}, the devices and guest memory put together.
 * {@link dev.jvmm.vmm.FlatProgramVm} runs a small flat guest program (the foundation demo and the KVM
 * tests); {@link dev.jvmm.vmm.LinuxVm} boots a Linux kernel on the PC {@link dev.jvmm.vmm.Platform};
 * {@link dev.jvmm.vmm.Main} runs one VM after another until the guest powers off.
 *
 * <p>Control: {@link dev.jvmm.vmm.VmControlPlane} is what a control channel drives (run state, pause and
 * resume with the guest clock stopped, reset, power button, quit, PCI and vCPU inventories,
 * {@link dev.jvmm.vmm.LifecycleEvent}s named after QEMU's); {@link dev.jvmm.vmm.VmController} implements it
 * on one control thread that outlives each VM run. Channels plug in through
 * {@link dev.jvmm.vmm.ControlChannelProvider} and {@link java.util.ServiceLoader}, so this module never
 * depends on one (qmp-api provides QMP). {@code -device}s plug in the same way, through
 * {@link dev.jvmm.vmm.DeviceProvider} (device-assign provides {@code vfio-pci}), each given the
 * {@link dev.jvmm.vmm.Machine} to attach to.
 *
 * <p>Invariants: every control request runs on the control thread, in order, and never on a caller's
 * event loop; a request that changes the run state publishes its event before its future completes; each
 * run's end is announced exactly once (by the host request that caused it, or by {@code vmEnded});
 * vCPU threads never wait for the control thread, so the control thread may wait for them.
 */
package dev.jvmm.vmm;
