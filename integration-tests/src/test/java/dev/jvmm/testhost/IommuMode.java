package dev.jvmm.testhost;

import java.util.List;

/** How L1 sees DMA remapping; decides which VFIO flavours work inside it. */
public enum IommuMode {
    /** QEMU's intel-iommu (interrupt remapping, caching mode), {@code intel_iommu=on iommu=pt}. */
    VIOMMU(true, List.of("intel_iommu=on", "iommu=pt")),
    /** No IOMMU at all: vfio-pci binds, but no group device appears. */
    NONE(false, List.of()),
    /** No IOMMU, and VFIO's unsafe no-IOMMU mode ({@code /dev/vfio/noiommu-N}); feature kernel only. */
    NOIOMMU(false, List.of("vfio.enable_unsafe_noiommu_mode=1"));

    private final boolean emulatedIommu;
    private final List<String> kernelArgs;

    IommuMode(boolean emulatedIommu, List<String> kernelArgs) {
        this.emulatedIommu = emulatedIommu;
        this.kernelArgs = kernelArgs;
    }

    /** Whether L1 gets QEMU's {@code intel-iommu} device. */
    public boolean emulatedIommu() {
        return emulatedIommu;
    }

    /** What L1's kernel command line needs for this mode. */
    public List<String> kernelArgs() {
        return kernelArgs;
    }
}
