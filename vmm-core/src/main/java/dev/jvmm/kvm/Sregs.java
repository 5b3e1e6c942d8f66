package dev.jvmm.kvm;

/** The special registers of one vCPU (struct kvm_sregs), as values. */
public record Sregs(Segment cs, Segment ds, Segment es, Segment fs, Segment gs, Segment ss,
                    Segment tr, Segment ldt, DescriptorTable gdt, DescriptorTable idt,
                    long cr0, long cr2, long cr3, long cr4, long cr8, long efer, long apicBase) {
    public static final long CR0_PE = 1L, CR0_MP = 1L << 1, CR0_ET = 1L << 4, CR0_NE = 1L << 5,
            CR0_WP = 1L << 16, CR0_PG = 1L << 31;
    public static final long CR4_PAE = 1L << 5, CR4_OSFXSR = 1L << 9, CR4_OSXMMEXCPT = 1L << 10;
    public static final long EFER_SCE = 1L, EFER_LME = 1L << 8, EFER_LMA = 1L << 10, EFER_NXE = 1L << 11;

    /** The same registers with every data segment (ds, es, fs, gs, ss) replaced by {@code data}. */
    public Sregs withSegments(Segment code, Segment data) {
        return new Sregs(code, data, data, data, data, data, tr, ldt, gdt, idt, cr0, cr2, cr3, cr4, cr8, efer, apicBase);
    }

    public Sregs withTables(DescriptorTable newGdt, DescriptorTable newIdt) {
        return new Sregs(cs, ds, es, fs, gs, ss, tr, ldt, newGdt, newIdt, cr0, cr2, cr3, cr4, cr8, efer, apicBase);
    }

    public Sregs withControl(long newCr0, long newCr3, long newCr4, long newEfer) {
        return new Sregs(cs, ds, es, fs, gs, ss, tr, ldt, gdt, idt, newCr0, cr2, newCr3, newCr4, cr8, newEfer, apicBase);
    }

    public Sregs withTaskRegister(Segment newTr) {
        return new Sregs(cs, ds, es, fs, gs, ss, newTr, ldt, gdt, idt, cr0, cr2, cr3, cr4, cr8, efer, apicBase);
    }
}
