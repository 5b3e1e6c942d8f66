/**
 * The nested test host: where device assignment is proven on real KVM and real VFIO.
 *
 * <p>The bare machine has no VFIO, no IOMMU and a KVM too slow to boot Linux, so tests run one level
 * down. A container (image {@code jvmm-testhost}, built by {@code images/build.sh}) runs QEMU under TCG as
 * <em>L1</em>: a q35 machine with an optional emulated Intel IOMMU, emulated PCI devices (NVMe, edu) and
 * nested SVM. Inside L1, kvm-amd gives a real {@code /dev/kvm} and vfio-pci real VFIO, so a VMM started in
 * L1 (QEMU as the reference, or ours) can assign an L1 device to an <em>L2</em> guest, whose initramfs
 * runs the check named on its kernel command line and prints {@code JVMM-L2 RESULT <test> PASS|FAIL}.
 *
 * <p>Invariants:
 * <ul>
 *   <li>L1 runs the host's own root (read-only, 9p tag {@code hostfs}), so every path on the host
 *       (JDK, jars, images, QEMU) is the same path in L1. The one writable place L1 shares with the host
 *       is the run directory, {@code /run/jvmm/out} in L1 and {@link dev.jvmm.testhost.TestHost#runDir()}
 *       on the host: commands, their output and the L2 consoles pass through it.</li>
 *   <li>Every wait has a deadline; every failure message carries the tail of the console that
 *       explains it (L1's, and L2's for guest checks).</li>
 *   <li>A {@link dev.jvmm.testhost.TestHost} owns its container: {@code close()} removes it, pass or
 *       fail, a JVM shutdown hook closes hosts left open, and QEMU in the container runs under
 *       {@code timeout -s KILL} so nothing outlives {@link dev.jvmm.testhost.TestHostOptions#maxLifetime()}.</li>
 * </ul>
 */
package dev.jvmm.testhost;
