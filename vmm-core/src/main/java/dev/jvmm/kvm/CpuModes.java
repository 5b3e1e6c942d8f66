package dev.jvmm.kvm;

/**
 * Special-register states for entering guest code directly in real, 32-bit protected or 64-bit long
 * mode. Selectors follow the GDT jvmm writes for Linux's boot protocol: 0x08 32-bit flat code, 0x10
 * 64-bit code (__BOOT_CS), 0x18 flat data (__BOOT_DS).
 */
public final class CpuModes {
    public static final int CODE32_SELECTOR = 0x08;
    public static final int CODE64_SELECTOR = 0x10;
    public static final int DATA_SELECTOR = 0x18;

    private CpuModes() {
    }

    /** The GDT entries, indexed by selector / 8, matching the selectors above. */
    public static long[] gdtEntries() {
        return new long[] {
            0,
            Segment.flatCode(CODE32_SELECTOR, false).gdtEntry(),
            Segment.flatCode(CODE64_SELECTOR, true).gdtEntry(),
            Segment.flatData(DATA_SELECTOR).gdtEntry(),
        };
    }

    /** Real mode with every segment at selector 0 (base 0): code runs at CS:IP = 0:rip. */
    public static Sregs realMode(Sregs reset) {
        Segment code = Segment.realMode(0, Segment.TYPE_CODE_RX_ACCESSED);
        Segment data = Segment.realMode(0, Segment.TYPE_DATA_RW_ACCESSED);
        return reset.withSegments(code, data).withControl(reset.cr0() & ~(Sregs.CR0_PE | Sregs.CR0_PG),
                reset.cr3(), reset.cr4(), reset.efer());
    }

    /** 32-bit protected mode, flat segments, no paging; the GDT at {@code gdtBase} holds {@link #gdtEntries()}. */
    public static Sregs protectedMode(Sregs reset, long gdtBase) {
        return reset.withSegments(Segment.flatCode(CODE32_SELECTOR, false), Segment.flatData(DATA_SELECTOR))
                .withTables(new DescriptorTable(gdtBase, gdtEntries().length * 8 - 1), reset.idt())
                .withControl(reset.cr0() | Sregs.CR0_PE, reset.cr3(), reset.cr4(), reset.efer());
    }

    /**
     * 64-bit long mode with paging from the PML4 at {@code pml4}; the GDT at {@code gdtBase} holds
     * {@link #gdtEntries()}.
     */
    public static Sregs longMode(Sregs reset, long gdtBase, long pml4) {
        return reset.withSegments(Segment.flatCode(CODE64_SELECTOR, true), Segment.flatData(DATA_SELECTOR))
                .withTables(new DescriptorTable(gdtBase, gdtEntries().length * 8 - 1), reset.idt())
                .withControl(reset.cr0() | Sregs.CR0_PE | Sregs.CR0_PG | Sregs.CR0_ET, pml4,
                        reset.cr4() | Sregs.CR4_PAE, reset.efer() | Sregs.EFER_LME | Sregs.EFER_LMA);
    }
}
