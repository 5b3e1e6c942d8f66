package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.U8;
import static dev.jvmm.kvm.sys.Layouts.array;
import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;
import static dev.jvmm.kvm.sys.Layouts.u64;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_ioeventfd}, the argument of {@code KVM_IOEVENTFD}: a guest write of {@code len} bytes
 * to {@code addr} (an I/O port with {@code KVM_IOEVENTFD_FLAG_PIO}, else MMIO) signals eventfd {@code fd}
 * instead of exiting to userspace; with {@code KVM_IOEVENTFD_FLAG_DATAMATCH} only when the value written
 * equals {@code datamatch}. {@code len} 0 matches any length (MMIO only).
 */
public final class KvmIoeventfd {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_ioeventfd",
            u64("datamatch"),
            u64("addr"),
            u32("len"),
            u32("fd"),
            u32("flags"),
            array("pad", 36, U8));

    public static final VarHandle DATAMATCH = field(LAYOUT, "datamatch");
    public static final VarHandle ADDR = field(LAYOUT, "addr");
    public static final VarHandle LEN = field(LAYOUT, "len");
    public static final VarHandle FD = field(LAYOUT, "fd");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");

    private KvmIoeventfd() {}

    public static long datamatch(MemorySegment s) { return (long) DATAMATCH.get(s); }
    public static void setDatamatch(MemorySegment s, long v) { DATAMATCH.set(s, v); }
    public static long addr(MemorySegment s) { return (long) ADDR.get(s); }
    public static void setAddr(MemorySegment s, long v) { ADDR.set(s, v); }
    public static int len(MemorySegment s) { return (int) LEN.get(s); }
    public static void setLen(MemorySegment s, int v) { LEN.set(s, v); }
    public static int fd(MemorySegment s) { return (int) FD.get(s); }
    public static void setFd(MemorySegment s, int v) { FD.set(s, v); }
    /** {@code KVM_IOEVENTFD_FLAG_*}. */
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
}
