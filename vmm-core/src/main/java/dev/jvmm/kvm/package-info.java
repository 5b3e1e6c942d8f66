/**
 * KVM above the raw ioctls of {@code dev.jvmm.kvm.sys}: a {@link dev.jvmm.kvm.Vm} with its memslots, GSI
 * routing and vCPUs, the register and segment records a vCPU is set up with ({@link dev.jvmm.kvm.Regs},
 * {@link dev.jvmm.kvm.Sregs}, {@link dev.jvmm.kvm.CpuModes}, {@link dev.jvmm.kvm.CpuidFixups}), and
 * {@link dev.jvmm.kvm.VcpuRunner}, the platform thread that runs one vCPU's KVM_RUN loop and serves its
 * port-I/O and MMIO exits through an {@link dev.jvmm.kvm.ExitHandler}.
 *
 * <p>Invariants: only a vCPU's own thread enters KVM_RUN on it; any other thread reaches a running vCPU
 * through {@code kvm_run.immediate_exit} plus the kick signal (stop, pause), never by waiting on it; a
 * paused vCPU is parked outside KVM_RUN, blocked, and a resume clears immediate_exit before waking it, so
 * it neither spins on EINTR nor misses the wake-up. A {@code Vm} closes its vCPUs, then its memslots,
 * then its fd; guest RAM outlives it.
 */
package dev.jvmm.kvm;
