package dev.jvmm.memory.sys;

import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.memory.GuestMemoryAccessException;
import dev.jvmm.memory.Hva;
import dev.jvmm.memory.IommuMapping;
import dev.jvmm.memory.IommuPlan;
import dev.jvmm.memory.RamRegion;
import dev.jvmm.memory.ReservedIovaRegion;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Guest RAM: one memfd holding all of it, mapped shared once. RAM regions of the layout follow each other
 * in the memfd (low RAM at offset 0, high RAM right after), so GPA → HVA is one offset per region and
 * the memfd could be handed to another process (vhost-user, migration) whole.
 *
 * <p>Every access by GPA is bounds-checked against one RAM region: an access that leaves RAM or crosses
 * the PCI hole throws {@link GuestMemoryAccessException} and touches nothing. Close after everything
 * that maps this memory (KVM memslots, IOMMU DMA mappings) has let go of it.
 */
public final class GuestRam implements AutoCloseable {
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;

    private final GuestLayout layout;
    private final Fd memfd;
    private final Mapping mapping;
    private final List<RamRegion> regions;
    private final long[] memfdOffsets;

    private GuestRam(GuestLayout layout, Fd memfd, Mapping mapping) {
        this.layout = layout;
        this.memfd = memfd;
        this.mapping = mapping;
        List<RamRegion> rs = new ArrayList<>();
        List<GpaRange> ram = layout.ramRegions();
        memfdOffsets = new long[ram.size()];
        long offset = 0;
        for (int i = 0; i < ram.size(); i++) {
            memfdOffsets[i] = offset;
            rs.add(new RamRegion(ram.get(i), Hva.of(mapping.address()).plus(offset)));
            offset += ram.get(i).length();
        }
        this.regions = List.copyOf(rs);
    }

    /**
     * Backs {@code layout}'s RAM with a memfd; with {@code hugepages} the memfd lives on hugetlbfs (2 MiB
     * pages, which must be reserved beforehand) and is populated up front, without it the mapping asks
     * for transparent huge pages ({@link #adviseHugePages}).
     */
    public static GuestRam create(GuestLayout layout, boolean hugepages) {
        long size = layout.totalRam();
        Fd fd = Posix.memfdCreate("jvmm-guest-ram", Posix.MFD_CLOEXEC | (hugepages ? Posix.MFD_HUGETLB : 0));
        try {
            Posix.ftruncate(fd, size);
            int flags = Posix.MAP_SHARED | (hugepages ? Posix.MAP_POPULATE : Posix.MAP_NORESERVE);
            Mapping m;
            try {
                m = Posix.mmap(size, Posix.PROT_READ | Posix.PROT_WRITE, flags, fd, 0, "guest RAM");
            } catch (ErrnoException e) {
                throw hugepages && e.errno() == Errno.ENOMEM
                        ? e.withFix("reserve " + (size >> 21) + " huge pages of 2 MiB (echo " + (size >> 21)
                                + " > /proc/sys/vm/nr_hugepages) or run without hugepages")
                        : e;
            }
            if (!hugepages) {
                adviseHugePages(m);
            }
            return new GuestRam(layout, fd, m);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /**
     * Asks for transparent huge pages (MADV_HUGEPAGE). A memfd gets them only where the host allows THP
     * for shared memory on request ({@code /sys/kernel/mm/transparent_hugepage/shmem_enabled} = advise,
     * within_size or always; Debian's default is never, and then this changes nothing). Worth it: with
     * 2 MiB pages a guest takes far fewer nested page faults and TLB misses (in the nested test host a
     * Linux boot to init took ~30% less time). A kernel without THP refuses the advice (EINVAL): the RAM
     * then has 4 KiB pages, as it would anyway.
     */
    private static void adviseHugePages(Mapping m) {
        try {
            Posix.madvise(m.segment(), Posix.MADV_HUGEPAGE);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EINVAL) {
                throw e;
            }
        }
    }

    public GuestLayout layout() {
        return layout;
    }

    /** The RAM regions with their host addresses, in GPA order: one KVM memslot each. */
    public List<RamRegion> regions() {
        return regions;
    }

    /** The host address backing {@code gpa}. */
    public Hva hva(Gpa gpa) {
        int i = regionIndex(gpa, 1);
        return regions.get(i).hva().plus(gpa.offsetFrom(regions.get(i).gpa().start()));
    }

    /**
     * The DMA mappings for an IOMMU at IOVA = GPA, after checking RAM against the kernel's reserved
     * regions (throws {@link dev.jvmm.memory.ReservedIovaOverlapException} naming the overlap).
     */
    public List<IommuMapping> iommuMappings(List<ReservedIovaRegion> reserved) {
        IommuPlan plan = IommuPlan.identity(layout, reserved);
        return plan.mappings().stream()
                .map(m -> new IommuMapping(m.iova(), hva(m.gpa().start()), m.gpa().length()))
                .toList();
    }

    /** The bytes of {@code range}, for sys code handing guest memory to the kernel. */
    public MemorySegment segment(GpaRange range) {
        long len = range.length();
        if (len > Integer.MAX_VALUE * 4096L) {
            throw new GuestMemoryAccessException(range + " is larger than any RAM region");
        }
        return slice(range.start(), len);
    }

    private MemorySegment slice(Gpa gpa, long length) {
        int i = regionIndex(gpa, length);
        long off = memfdOffsets[i] + gpa.offsetFrom(regions.get(i).gpa().start());
        return mapping.segment().asSlice(off, length);
    }

    private int regionIndex(Gpa gpa, long length) {
        for (int i = 0; i < regions.size(); i++) {
            GpaRange r = regions.get(i).gpa();
            if (r.contains(gpa)) {
                long room = r.last().offsetFrom(gpa) + 1;
                if (length > 0 && Long.compareUnsigned(length, room) <= 0) {
                    return i;
                }
                throw new GuestMemoryAccessException(length + "-byte access at " + gpa + " runs past the end of RAM region " + r);
            }
        }
        throw new GuestMemoryAccessException(gpa + " is not guest RAM (RAM is " + layout.ramRegions() + ")");
    }

    public void write(Gpa gpa, byte[] bytes) {
        MemorySegment.copy(bytes, 0, slice(gpa, bytes.length), ValueLayout.JAVA_BYTE, 0, bytes.length);
    }

    public byte[] read(Gpa gpa, int length) {
        return slice(gpa, length).toArray(ValueLayout.JAVA_BYTE);
    }

    public void writeLong(Gpa gpa, long value) {
        slice(gpa, 8).set(LONG, 0, value);
    }

    public long readLong(Gpa gpa) {
        return slice(gpa, 8).get(LONG, 0);
    }

    public void writeInt(Gpa gpa, int value) {
        slice(gpa, 4).set(INT, 0, value);
    }

    public int readInt(Gpa gpa) {
        return slice(gpa, 4).get(INT, 0);
    }

    public void writeShort(Gpa gpa, short value) {
        slice(gpa, 2).set(SHORT, 0, value);
    }

    public short readShort(Gpa gpa) {
        return slice(gpa, 2).get(SHORT, 0);
    }

    public void writeByte(Gpa gpa, byte value) {
        slice(gpa, 1).set(ValueLayout.JAVA_BYTE, 0, value);
    }

    public byte readByte(Gpa gpa) {
        return slice(gpa, 1).get(ValueLayout.JAVA_BYTE, 0);
    }

    /** Unmaps and releases the memory; nothing may still map it (memslots, DMA). */
    @Override
    public void close() {
        try {
            mapping.close();
        } finally {
            memfd.close();
        }
    }
}
