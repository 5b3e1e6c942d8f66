package dev.jvmm.testhost;

/** The kernel L1 boots. Both come from Debian packages through {@code images/build.sh}. */
public enum L1Kernel {
    /** Debian bookworm's linux-image-6.1 with modules: VFIO type1 only (group {@code /dev/vfio/N}). */
    STOCK("stock-kernel"),
    /**
     * Debian's linux-source-6.12 built with {@code images/feature-kernel.config}: adds iommufd
     * ({@code /dev/iommu}), the VFIO device cdev ({@code /dev/vfio/devices/vfioN}) and no-IOMMU mode.
     */
    FEATURE("feature-kernel");

    private final String buildTarget;

    L1Kernel(String buildTarget) {
        this.buildTarget = buildTarget;
    }

    /** The {@code images/build.sh} target that produces this kernel. */
    public String buildTarget() {
        return buildTarget;
    }
}
