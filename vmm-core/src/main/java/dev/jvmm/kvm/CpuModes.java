package dev.jvmm.kvm;

/**
 * Special-register states for entering guest code directly in real, 32-bit protected or 64-bit long
 * mode. The caller has written the GDT the segments come from (see {@code dev.jvmm.boot.BootGdt}).
 */
public final class CpuModes {
    private CpuModes() {
    }

    /** Real mode with every segment at selector 0 (base 0): code runs at CS:IP = 0:rip. */
    public static Sregs realMode(Sregs reset) {
        Segment code = Segment.realMode(0, Segment.TYPE_CODE_RX_ACCESSED);
        Segment data = Segment.realMode(0, Segment.TYPE_DATA_RW_ACCESSED);
        return reset.withSegments(code, data).withControl(reset.cr0() & ~(Sregs.CR0_PE | Sregs.CR0_PG),
                reset.cr3(), reset.cr4(), reset.efer());
    }

    /** 32-bit protected mode, flat {@code code}/{@code data} segments from {@code gdtr}, no paging. */
    public static Sregs protectedMode(Sregs reset, DescriptorTable gdtr, Segment code, Segment data) {
        return reset.withSegments(code, data).withTables(gdtr, reset.idt())
                .withControl(reset.cr0() | Sregs.CR0_PE, reset.cr3(), reset.cr4(), reset.efer());
    }

    /** 64-bit long mode with paging from the PML4 at {@code cr3} and a 64-bit {@code code} segment. */
    public static Sregs longMode(Sregs reset, DescriptorTable gdtr, long cr3, Segment code, Segment data) {
        if (!code.l()) {
            throw new IllegalArgumentException("long mode needs a 64-bit code segment (L=1), got " + code);
        }
        return reset.withSegments(code, data).withTables(gdtr, reset.idt())
                .withControl(reset.cr0() | Sregs.CR0_PE | Sregs.CR0_PG | Sregs.CR0_ET, cr3,
                        reset.cr4() | Sregs.CR4_PAE, reset.efer() | Sregs.EFER_LME | Sregs.EFER_LMA);
    }
}
