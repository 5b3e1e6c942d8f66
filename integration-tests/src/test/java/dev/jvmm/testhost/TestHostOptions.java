package dev.jvmm.testhost;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What L1 looks like: its kernel, its IOMMU, its emulated devices and its size, plus the limits on how
 * long it may take.
 *
 * @param bootTimeout  from container start to the L1 agent's READY line
 * @param maxLifetime  the container's QEMU is killed after this, whatever the JVM does
 */
public record TestHostOptions(L1Kernel kernel, IommuMode iommu, Set<EmulatedDevice> devices, int memoryMib,
                              int cpus, Duration bootTimeout, Duration maxLifetime) {
    public static final L1Kernel DEFAULT_KERNEL = L1Kernel.STOCK;
    public static final IommuMode DEFAULT_IOMMU = IommuMode.VIOMMU;
    public static final Set<EmulatedDevice> DEFAULT_DEVICES = Set.of(EmulatedDevice.NVME, EmulatedDevice.EDU);
    public static final int DEFAULT_MEMORY_MIB = 4096;
    /** One vCPU: with more, QEMU 7.2's TCG runs stale code after a JIT rewrites it (see {@link L1Machine}). */
    public static final int DEFAULT_CPUS = 1;
    public static final Duration DEFAULT_BOOT_TIMEOUT = Duration.ofMinutes(3);
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofMinutes(40);

    public TestHostOptions {
        devices = devices.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(devices));
        if (iommu == IommuMode.NOIOMMU && kernel != L1Kernel.FEATURE) {
            throw new IllegalArgumentException("no-IOMMU mode needs the feature kernel: Debian's 6.1 is built"
                    + " without CONFIG_VFIO_NOIOMMU; use withKernel(L1Kernel.FEATURE)");
        }
        if (memoryMib < 1024 || cpus < 1) {
            throw new IllegalArgumentException("L1 needs at least 1024 MiB and 1 vCPU, got "
                    + memoryMib + " MiB and " + cpus);
        }
        if (bootTimeout.isNegative() || maxLifetime.compareTo(bootTimeout) <= 0) {
            throw new IllegalArgumentException("maxLifetime " + maxLifetime + " must exceed bootTimeout " + bootTimeout);
        }
    }

    /** Stock kernel, emulated Intel IOMMU, NVMe and edu, 4 GiB, 1 vCPU. */
    public static TestHostOptions defaults() {
        return new TestHostOptions(DEFAULT_KERNEL, DEFAULT_IOMMU, DEFAULT_DEVICES, DEFAULT_MEMORY_MIB,
                DEFAULT_CPUS, DEFAULT_BOOT_TIMEOUT, DEFAULT_MAX_LIFETIME);
    }

    public TestHostOptions withKernel(L1Kernel value) {
        return new TestHostOptions(value, iommu, devices, memoryMib, cpus, bootTimeout, maxLifetime);
    }

    public TestHostOptions withIommu(IommuMode value) {
        return new TestHostOptions(kernel, value, devices, memoryMib, cpus, bootTimeout, maxLifetime);
    }

    public TestHostOptions withDevices(EmulatedDevice... value) {
        return new TestHostOptions(kernel, iommu, Set.copyOf(List.of(value)), memoryMib, cpus, bootTimeout,
                maxLifetime);
    }

    public TestHostOptions withMemoryMib(int value) {
        return new TestHostOptions(kernel, iommu, devices, value, cpus, bootTimeout, maxLifetime);
    }

    public TestHostOptions withBootTimeout(Duration value) {
        return new TestHostOptions(kernel, iommu, devices, memoryMib, cpus, value, maxLifetime);
    }

    public TestHostOptions withMaxLifetime(Duration value) {
        return new TestHostOptions(kernel, iommu, devices, memoryMib, cpus, bootTimeout, value);
    }
}
