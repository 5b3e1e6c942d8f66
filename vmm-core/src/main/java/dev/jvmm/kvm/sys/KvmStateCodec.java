package dev.jvmm.kvm.sys;

import dev.jvmm.kvm.DescriptorTable;
import dev.jvmm.kvm.Regs;
import dev.jvmm.kvm.Segment;
import dev.jvmm.kvm.Sregs;
import java.lang.foreign.MemorySegment;

/** Converts between the register value records and struct kvm_regs / kvm_sregs. */
final class KvmStateCodec {
    private KvmStateCodec() {
    }

    static Regs regs(MemorySegment r) {
        return new Regs(KvmRegs.rax(r), KvmRegs.rbx(r), KvmRegs.rcx(r), KvmRegs.rdx(r), KvmRegs.rsi(r),
                KvmRegs.rdi(r), KvmRegs.rsp(r), KvmRegs.rbp(r), KvmRegs.r8(r), KvmRegs.r9(r), KvmRegs.r10(r),
                KvmRegs.r11(r), KvmRegs.r12(r), KvmRegs.r13(r), KvmRegs.r14(r), KvmRegs.r15(r),
                KvmRegs.rip(r), KvmRegs.rflags(r));
    }

    static void fillRegs(MemorySegment r, Regs v) {
        KvmRegs.setRax(r, v.rax());
        KvmRegs.setRbx(r, v.rbx());
        KvmRegs.setRcx(r, v.rcx());
        KvmRegs.setRdx(r, v.rdx());
        KvmRegs.setRsi(r, v.rsi());
        KvmRegs.setRdi(r, v.rdi());
        KvmRegs.setRsp(r, v.rsp());
        KvmRegs.setRbp(r, v.rbp());
        KvmRegs.setR8(r, v.r8());
        KvmRegs.setR9(r, v.r9());
        KvmRegs.setR10(r, v.r10());
        KvmRegs.setR11(r, v.r11());
        KvmRegs.setR12(r, v.r12());
        KvmRegs.setR13(r, v.r13());
        KvmRegs.setR14(r, v.r14());
        KvmRegs.setR15(r, v.r15());
        KvmRegs.setRip(r, v.rip());
        KvmRegs.setRflags(r, v.rflags());
    }

    static Segment segment(MemorySegment s) {
        return new Segment(KvmSegment.base(s), KvmSegment.limit(s), KvmSegment.selector(s), KvmSegment.type(s),
                KvmSegment.present(s) != 0, KvmSegment.dpl(s), KvmSegment.db(s) != 0, KvmSegment.s(s) != 0,
                KvmSegment.l(s) != 0, KvmSegment.g(s) != 0, KvmSegment.avl(s) != 0, KvmSegment.unusable(s) != 0);
    }

    static void fillSegment(MemorySegment s, Segment v) {
        KvmSegment.setBase(s, v.base());
        KvmSegment.setLimit(s, v.limit());
        KvmSegment.setSelector(s, v.selector());
        KvmSegment.setType(s, v.type());
        KvmSegment.setPresent(s, v.present() ? 1 : 0);
        KvmSegment.setDpl(s, v.dpl());
        KvmSegment.setDb(s, v.db() ? 1 : 0);
        KvmSegment.setS(s, v.s() ? 1 : 0);
        KvmSegment.setL(s, v.l() ? 1 : 0);
        KvmSegment.setG(s, v.g() ? 1 : 0);
        KvmSegment.setAvl(s, v.avl() ? 1 : 0);
        KvmSegment.setUnusable(s, v.unusable() ? 1 : 0);
    }

    static DescriptorTable table(MemorySegment t) {
        return new DescriptorTable(KvmDtable.base(t), KvmDtable.limit(t));
    }

    static void fillTable(MemorySegment t, DescriptorTable v) {
        KvmDtable.setBase(t, v.base());
        KvmDtable.setLimit(t, v.limit());
    }

    static Sregs sregs(MemorySegment s) {
        return new Sregs(segment(KvmSregs.cs(s)), segment(KvmSregs.ds(s)), segment(KvmSregs.es(s)),
                segment(KvmSregs.fs(s)), segment(KvmSregs.gs(s)), segment(KvmSregs.ss(s)),
                segment(KvmSregs.tr(s)), segment(KvmSregs.ldt(s)), table(KvmSregs.gdt(s)), table(KvmSregs.idt(s)),
                KvmSregs.cr0(s), KvmSregs.cr2(s), KvmSregs.cr3(s), KvmSregs.cr4(s), KvmSregs.cr8(s),
                KvmSregs.efer(s), KvmSregs.apicBase(s));
    }

    static void fillSregs(MemorySegment s, Sregs v) {
        fillSegment(KvmSregs.cs(s), v.cs());
        fillSegment(KvmSregs.ds(s), v.ds());
        fillSegment(KvmSregs.es(s), v.es());
        fillSegment(KvmSregs.fs(s), v.fs());
        fillSegment(KvmSregs.gs(s), v.gs());
        fillSegment(KvmSregs.ss(s), v.ss());
        fillSegment(KvmSregs.tr(s), v.tr());
        fillSegment(KvmSregs.ldt(s), v.ldt());
        fillTable(KvmSregs.gdt(s), v.gdt());
        fillTable(KvmSregs.idt(s), v.idt());
        KvmSregs.setCr0(s, v.cr0());
        KvmSregs.setCr2(s, v.cr2());
        KvmSregs.setCr3(s, v.cr3());
        KvmSregs.setCr4(s, v.cr4());
        KvmSregs.setCr8(s, v.cr8());
        KvmSregs.setEfer(s, v.efer());
        KvmSregs.setApicBase(s, v.apicBase());
    }
}
