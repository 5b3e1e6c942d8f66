package dev.jvmm.vfio;

import dev.jvmm.memory.IommuMapping;
import dev.jvmm.memory.ReservedIovaOverlapException;
import dev.jvmm.memory.ReservedIovaRegion;
import dev.jvmm.memory.sys.Errno;
import dev.jvmm.memory.sys.ErrnoException;
import dev.jvmm.memory.sys.GuestRam;
import dev.jvmm.vfio.host.IommuGroupId;
import dev.jvmm.vfio.kernel.IommuInfo;
import dev.jvmm.vfio.kernel.KernelHandle;
import dev.jvmm.vfio.kernel.Memlock;
import dev.jvmm.vfio.kernel.VfioKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Guest RAM mapped for DMA in a container's IOMMU at IOVA = GPA ({@code VFIO_IOMMU_MAP_DMA}), one mapping
 * per RAM region. The type1 IOMMU pins the pages while they are mapped, charging them to the process's
 * locked memory.
 *
 * <p>Every precondition the kernel would refuse is checked before the first mapping, so a failure names
 * its cause instead of leaving half the RAM mapped: reserved IOVA ranges, the IOMMU page size, the
 * number of mappings left and {@code RLIMIT_MEMLOCK}. Should the kernel still refuse one, the mappings
 * made so far are undone.
 *
 * <p>{@link #close()} unmaps every mapping; it must run before guest RAM is unmapped and while the
 * container still has a group attached.
 */
public final class VfioDma implements AutoCloseable {

    private final VfioKernel kernel;
    private final KernelHandle container;
    private final List<IommuMapping> mapped = new ArrayList<>();

    private VfioDma(VfioKernel kernel, KernelHandle container) {
        this.kernel = kernel;
        this.container = container;
    }

    static VfioDma map(VfioKernel kernel, KernelHandle container, IommuInfo info, List<ReservedIovaRegion> reserved,
                       GuestRam ram, List<IommuGroupId> groups) {
        List<IommuMapping> plan;
        try {
            plan = ram.iommuMappings(reserved);
        } catch (ReservedIovaOverlapException e) {
            throw new VfioException("cannot map guest RAM for DMA by the devices of IOMMU group "
                    + groups.stream().map(IommuGroupId::toString).collect(Collectors.joining(", "))
                    + ": " + e.getMessage(), null, e);
        }
        checkPageSize(plan, info.minPageSize());
        checkMappingsLeft(plan.size(), info.dmaAvail());
        long bytes = plan.stream().mapToLong(IommuMapping::length).sum();
        Memlock memlock = kernel.memlock();
        if (!memlock.allows(bytes)) {
            String already = memlock.locked() == 0 ? "" : " on top of the " + memlock.locked() + " bytes locked already";
            throw new VfioException("guest RAM must be pinned in memory for device DMA: " + HostAdvice.size(bytes)
                    + " (" + bytes + " bytes)" + already + ", but RLIMIT_MEMLOCK is " + memlock.limit() + " bytes",
                    raiseMemlock(memlock.neededFor(bytes)));
        }
        VfioDma dma = new VfioDma(kernel, container);
        try {
            for (IommuMapping m : plan) {
                dma.mapOne(m, bytes);
            }
        } catch (RuntimeException e) {
            Closer.after(e).run(dma::close);
            throw e;
        }
        return dma;
    }

    private void mapOne(IommuMapping m, long totalBytes) {
        try {
            kernel.mapDma(container, m.iova(), m.hva(), m.length());
        } catch (ErrnoException e) {
            ErrnoException located = e.withContext("guest RAM " + m.iovaRange() + " at " + m.hva());
            throw switch (e.errno()) {
                case Errno.ENOMEM -> located.withFix(raiseMemlock(kernel.memlock().neededFor(totalBytes - bytes())));
                case Errno.ENOSPC -> located.withFix("the container ran out of DMA mappings: raise vfio_iommu_type1's"
                        + " dma_entry_limit (/sys/module/vfio_iommu_type1/parameters/dma_entry_limit)");
                default -> located;
            };
        }
        mapped.add(m);
    }

    private static String raiseMemlock(long needed) {
        long kib = Math.ceilDiv(needed, 1024);
        return "raise RLIMIT_MEMLOCK to at least " + needed + " bytes: ulimit -l " + kib + " or run as root";
    }

    private static void checkPageSize(List<IommuMapping> plan, long page) {
        for (IommuMapping m : plan) {
            if (!m.iova().isAligned(page) || !m.hva().isAligned(page) || m.length() % page != 0) {
                throw new VfioException("guest RAM " + m.iovaRange() + " at " + m.hva() + " is not aligned to the"
                        + " IOMMU's smallest page, " + HostAdvice.size(page), "give the guest RAM in multiples of "
                        + HostAdvice.size(page) + ", backed by pages at least that large");
            }
        }
    }

    private static void checkMappingsLeft(int needed, OptionalLong available) {
        if (available.isPresent() && Long.compareUnsigned(needed, available.getAsLong()) > 0) {
            long missing = needed - available.getAsLong();
            throw new VfioException("guest RAM needs " + needed + " DMA mappings but the container accepts only "
                    + available.getAsLong() + " more", "raise vfio_iommu_type1's dma_entry_limit by at least "
                    + missing + " (/sys/module/vfio_iommu_type1/parameters/dma_entry_limit)");
        }
    }

    /** The mappings in place, in IOVA order. */
    public List<IommuMapping> mappings() {
        return List.copyOf(mapped);
    }

    /** Bytes mapped (and pinned). */
    public long bytes() {
        return mapped.stream().mapToLong(IommuMapping::length).sum();
    }

    /**
     * Unmaps every mapping, last first, checking that the kernel unmapped exactly what was mapped. Every
     * mapping is attempted; the first failure is thrown after the rest.
     */
    @Override
    public void close() {
        Closer closer = new Closer();
        for (IommuMapping m : new ArrayList<>(mapped).reversed()) {
            closer.run(() -> unmapOne(m));
        }
        closer.rethrow();
    }

    private void unmapOne(IommuMapping m) {
        long unmapped = kernel.unmapDma(container, m.iova(), m.length());
        mapped.remove(m);
        if (unmapped != m.length()) {
            throw new IllegalStateException("VFIO_IOMMU_UNMAP_DMA of guest RAM " + m.iovaRange() + " unmapped " + unmapped
                    + " bytes, not " + m.length() + ": the container's mappings are not what jvmm made");
        }
    }
}
