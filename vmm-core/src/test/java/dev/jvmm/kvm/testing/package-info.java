/**
 * Test support for running real guest code under KVM: tiny guest programs written in GNU assembler
 * (test resources under {@code guest/}, contracts in {@code guest/README.md}) and
 * {@link dev.jvmm.kvm.testing.GuestProgram}, which assembles one into the flat bytes a test loads into
 * guest RAM. {@link dev.jvmm.kvm.testing.TinyVm} runs one; {@link dev.jvmm.kvm.testing.HostThreads} reads
 * what Linux says about the vCPU threads and descriptors (parked or spinning, left open or not).
 *
 * <p>Invariants: a {@link dev.jvmm.kvm.testing.GuestProgram} is exactly the {@code .text} section of its
 * object file, non-empty, with no relocations (so it runs at any load address) and nothing in any other
 * loadable section (which {@code objcopy -j .text} would silently drop). Assembly happens at most once
 * per resource per JVM.
 */
package dev.jvmm.kvm.testing;
