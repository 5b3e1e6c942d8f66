package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.U8;
import static dev.jvmm.kvm.sys.Layouts.array;
import static dev.jvmm.kvm.sys.Layouts.checkU16;
import static dev.jvmm.kvm.sys.Layouts.checkU8;
import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u16;
import static dev.jvmm.kvm.sys.Layouts.u32;
import static dev.jvmm.kvm.sys.Layouts.u64;
import static dev.jvmm.kvm.sys.Layouts.u8;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_fpu} (asm/kvm.h), the x87/SSE state of {@code KVM_GET_FPU}/{@code KVM_SET_FPU} in
 * FXSAVE order. A VMM resets a vCPU with {@code fcw = 0x37f} and {@code mxcsr = 0x1f80}.
 */
public final class KvmFpu {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_fpu",
            array("fpr", 8, MemoryLayout.sequenceLayout(16, U8)),
            u16("fcw"),
            u16("fsw"),
            u8("ftwx"),
            u8("pad1"),
            u16("last_opcode"),
            u64("last_ip"),
            u64("last_dp"),
            array("xmm", 16, MemoryLayout.sequenceLayout(16, U8)),
            u32("mxcsr"),
            u32("pad2"));

    public static final VarHandle FCW = field(LAYOUT, "fcw");
    public static final VarHandle FSW = field(LAYOUT, "fsw");
    public static final VarHandle FTWX = field(LAYOUT, "ftwx");
    public static final VarHandle LAST_OPCODE = field(LAYOUT, "last_opcode");
    public static final VarHandle LAST_IP = field(LAYOUT, "last_ip");
    public static final VarHandle LAST_DP = field(LAYOUT, "last_dp");
    public static final VarHandle MXCSR = field(LAYOUT, "mxcsr");

    private KvmFpu() {}

    public static int fcw(MemorySegment s) { return Short.toUnsignedInt((short) FCW.get(s)); }
    public static void setFcw(MemorySegment s, int v) { FCW.set(s, checkU16("fcw", v)); }
    public static int fsw(MemorySegment s) { return Short.toUnsignedInt((short) FSW.get(s)); }
    public static void setFsw(MemorySegment s, int v) { FSW.set(s, checkU16("fsw", v)); }
    public static int ftwx(MemorySegment s) { return Byte.toUnsignedInt((byte) FTWX.get(s)); }
    public static void setFtwx(MemorySegment s, int v) { FTWX.set(s, checkU8("ftwx", v)); }
    public static int lastOpcode(MemorySegment s) { return Short.toUnsignedInt((short) LAST_OPCODE.get(s)); }
    public static void setLastOpcode(MemorySegment s, int v) { LAST_OPCODE.set(s, checkU16("last_opcode", v)); }
    public static long lastIp(MemorySegment s) { return (long) LAST_IP.get(s); }
    public static void setLastIp(MemorySegment s, long v) { LAST_IP.set(s, v); }
    public static long lastDp(MemorySegment s) { return (long) LAST_DP.get(s); }
    public static void setLastDp(MemorySegment s, long v) { LAST_DP.set(s, v); }
    public static int mxcsr(MemorySegment s) { return (int) MXCSR.get(s); }
    public static void setMxcsr(MemorySegment s, int v) { MXCSR.set(s, v); }

    /** The 16 bytes of x87 register {@code st(index)} (80 bits used). */
    public static MemorySegment fpr(MemorySegment s, int index) { return arrayRow(s, "fpr", index); }

    /** The 16 bytes of {@code xmm(index)}. */
    public static MemorySegment xmm(MemorySegment s, int index) { return arrayRow(s, "xmm", index); }

    private static MemorySegment arrayRow(MemorySegment s, String name, int index) {
        MemoryLayout.PathElement member = MemoryLayout.PathElement.groupElement(name);
        MemoryLayout.PathElement row = MemoryLayout.PathElement.sequenceElement(index);
        return s.asSlice(LAYOUT.byteOffset(member, row), LAYOUT.select(member, row));
    }
}
