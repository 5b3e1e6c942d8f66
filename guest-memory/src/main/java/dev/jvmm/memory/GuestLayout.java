package dev.jvmm.memory;

import java.util.List;

/**
 * The x86-64 guest-physical address map: where RAM goes for a given RAM size, and the windows kept
 * free for devices.
 *
 * <pre>
 *  0                      low RAM: [0, min(ram, 3 GiB))
 *  0xc000_0000  3 GiB     PCI hole, never RAM, [3 GiB, 4 GiB):
 *    0xc000_0000            mmio32Window   512 MiB  32-bit BARs
 *    0xe000_0000            ecamWindow     256 MiB  PCIe ECAM, buses 0-255 (1 MiB each)
 *    0xf000_0000            platformWindow 256 MiB  fixed platform devices:
 *                             IOAPIC 0xfec0_0000, HPET 0xfed0_0000, LAPIC and the MSI
 *                             window 0xfee0_0000-0xfeef_ffff, KVM's TSS pages and firmware
 *                             just below 4 GiB
 *  0x1_0000_0000  4 GiB   high RAM: the rest, [4 GiB, 4 GiB + ram - 3 GiB)
 *  1 GiB-aligned above    mmio64Window (default 64 GiB): 64-bit BARs, below 2^physAddressBits
 * </pre>
 *
 * <p>The hole is fixed at 3 GiB (as in kvmtool and Cloud Hypervisor) rather than sized to the devices:
 * a fixed layout keeps the MSI window 0xfee00000, which every x86 IOMMU reserves, out of guest RAM for
 * every RAM size. The platform window is whole so that the x86 fixed addresses can be placed by
 * vmm-core without carving the BAR window. The legacy holes below 1 MiB (VGA, BIOS) are RAM here; the
 * e820 table given to the guest marks them, which is vmm-core's business.
 *
 * <p>Invariants: RAM regions are sorted, disjoint, page-aligned, total {@link #totalRam()}, and never
 * meet the PCI hole or the 64-bit window; the MMIO windows are disjoint from each other.
 */
public final class GuestLayout {

    public static final long KIB = 1L << 10;
    public static final long MIB = 1L << 20;
    public static final long GIB = 1L << 30;

    public static final long DEFAULT_PAGE_SIZE = 4 * KIB;
    public static final long DEFAULT_MMIO64_SIZE = 64 * GIB;
    public static final int DEFAULT_PHYS_ADDRESS_BITS = 46;
    public static final long MIN_RAM = MIB;
    /** Range accepted for the guest physical address width (CPUID 0x80000008 EAX[7:0] on x86-64). */
    public static final int MIN_PHYS_ADDRESS_BITS = 36;
    public static final int MAX_PHYS_ADDRESS_BITS = 52;

    public static final GpaRange PCI_HOLE = GpaRange.of(Gpa.of(3 * GIB), GIB);
    public static final GpaRange MMIO32_WINDOW = GpaRange.of(Gpa.of(3 * GIB), 512 * MIB);
    public static final GpaRange ECAM_WINDOW = GpaRange.of(Gpa.of(0xe000_0000L), 256 * MIB);
    public static final GpaRange PLATFORM_WINDOW = GpaRange.of(Gpa.of(0xf000_0000L), 256 * MIB);
    public static final GpaRange IOAPIC = GpaRange.of(Gpa.of(0xfec0_0000L), 4 * KIB);
    public static final GpaRange LAPIC = GpaRange.of(Gpa.of(0xfee0_0000L), 4 * KIB);
    /** Where x86 MSI writes land; the host IOMMU reserves the same IOVA range ("msi"). */
    public static final GpaRange MSI_WINDOW = GpaRange.of(Gpa.of(0xfee0_0000L), MIB);

    private static final Gpa HIGH_RAM_START = Gpa.of(4 * GIB);
    private static final long LOW_RAM_MAX = 3 * GIB;

    private final long totalRam;
    private final long pageSize;
    private final int physAddressBits;
    private final List<GpaRange> ramRegions;
    private final GpaRange mmio64Window;

    private GuestLayout(long totalRam, long pageSize, int physAddressBits, List<GpaRange> ramRegions,
            GpaRange mmio64Window) {
        this.totalRam = totalRam;
        this.pageSize = pageSize;
        this.physAddressBits = physAddressBits;
        this.ramRegions = ramRegions;
        this.mmio64Window = mmio64Window;
    }

    /** The layout for {@code ramBytes} of RAM with 4 KiB pages, a 64 GiB 64-bit window, 46 bits. */
    public static GuestLayout x86(long ramBytes) {
        return x86(ramBytes, DEFAULT_PAGE_SIZE, DEFAULT_MMIO64_SIZE, DEFAULT_PHYS_ADDRESS_BITS);
    }

    /**
     * The layout for {@code ramBytes} of RAM backed by pages of {@code pageSize} (4 KiB, 2 MiB or
     * 1 GiB), a 64-bit MMIO window of {@code mmio64Bytes} (a multiple of 1 GiB), all below
     * {@code 2^physAddressBits}.
     */
    public static GuestLayout x86(long ramBytes, long pageSize, long mmio64Bytes, int physAddressBits) {
        LayoutChecks.checkPageSize(pageSize);
        LayoutChecks.checkRamSize(ramBytes, pageSize);
        LayoutChecks.checkPhysAddressBits(physAddressBits);
        LayoutChecks.checkMmio64Size(mmio64Bytes);

        long low = Math.min(ramBytes, LOW_RAM_MAX);
        GpaRange lowRam = GpaRange.of(Gpa.of(0), low);
        List<GpaRange> regions = ramBytes > low
                ? List.of(lowRam, GpaRange.of(HIGH_RAM_START, ramBytes - low))
                : List.of(lowRam);

        Gpa ramTop = regions.size() == 2 ? regions.get(1).end() : HIGH_RAM_START;
        GpaRange mmio64 = GpaRange.of(ramTop.alignUp(GIB), mmio64Bytes);
        LayoutChecks.checkBelowAddressLimit(ramBytes, mmio64, physAddressBits, pageSize);
        return new GuestLayout(ramBytes, pageSize, physAddressBits, regions, mmio64);
    }

    /** RAM regions, sorted by address; one below 3 GiB and, when RAM exceeds 3 GiB, one from 4 GiB. */
    public List<GpaRange> ramRegions() {
        return ramRegions;
    }

    public long totalRam() {
        return totalRam;
    }

    public long pageSize() {
        return pageSize;
    }

    public int physAddressBits() {
        return physAddressBits;
    }

    /** [3 GiB, 4 GiB): never RAM, whatever the RAM size. */
    public GpaRange pciHole() {
        return PCI_HOLE;
    }

    /** Where 32-bit BARs go: the first 512 MiB of the PCI hole. */
    public GpaRange mmio32Window() {
        return MMIO32_WINDOW;
    }

    /** PCIe enhanced configuration space (ECAM/MMCONFIG) for buses 0-255. */
    public GpaRange ecamWindow() {
        return ECAM_WINDOW;
    }

    /** The top 256 MiB below 4 GiB: IOAPIC, HPET, LAPIC, the MSI window, KVM's TSS, firmware. */
    public GpaRange platformWindow() {
        return PLATFORM_WINDOW;
    }

    /** Where 64-bit BARs go: from the first 1 GiB boundary at or above the end of RAM (and 4 GiB). */
    public GpaRange mmio64Window() {
        return mmio64Window;
    }

    public boolean isRam(Gpa address) {
        return ramRegions.stream().anyMatch(r -> r.contains(address));
    }

    @Override
    public String toString() {
        return "GuestLayout[ram=" + AddressMath.size(totalRam) + " in " + ramRegions + ", pageSize="
                + AddressMath.size(pageSize) + ", mmio32=" + MMIO32_WINDOW + ", ecam=" + ECAM_WINDOW
                + ", platform=" + PLATFORM_WINDOW + ", mmio64=" + mmio64Window + ", physAddressBits="
                + physAddressBits + "]";
    }
}
