/**
 * The narrow kernel interface of device assignment: {@link dev.jvmm.vfio.kernel.VfioKernel}, one method
 * per VFIO or KVM-VFIO operation, the owned handles it returns ({@link dev.jvmm.vfio.kernel.KernelHandle},
 * {@link dev.jvmm.vfio.kernel.RegionMapping}) and the decoded answers of the INFO ioctls (records).
 *
 * <p>Invariants: nothing here uses {@code java.lang.foreign}; a descriptor number never appears, only
 * handles; a failing call throws {@code ErrnoException} with the kernel's errno. The real implementation
 * lives in {@code dev.jvmm.vfio.sys}; tests substitute a fake with the same contract.
 */
package dev.jvmm.vfio.kernel;
