/**
 * Assembled VMs and their entry points: the pieces of {@code dev.jvmm.kvm}, {@code dev.jvmm.bus} and
 * guest memory put together. {@link dev.jvmm.vmm.FlatProgramVm} runs a small flat guest program (the
 * foundation demo and the KVM tests); the Linux VM arrives with the boot issue.
 */
package dev.jvmm.vmm;
