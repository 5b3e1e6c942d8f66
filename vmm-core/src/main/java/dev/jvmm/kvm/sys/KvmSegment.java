package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.checkU16;
import static dev.jvmm.kvm.sys.Layouts.checkU8;
import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u16;
import static dev.jvmm.kvm.sys.Layouts.u32;
import static dev.jvmm.kvm.sys.Layouts.u64;
import static dev.jvmm.kvm.sys.Layouts.u8;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_segment} (asm/kvm.h): one segment register inside {@link KvmSregs}, with the
 * descriptor's attribute bits unpacked one per byte ({@code type} is the 4-bit descriptor type,
 * {@code s} the code/data bit, {@code l} the 64-bit bit, {@code g} the granularity bit).
 */
public final class KvmSegment {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_segment",
            u64("base"),
            u32("limit"),
            u16("selector"),
            u8("type"),
            u8("present"),
            u8("dpl"),
            u8("db"),
            u8("s"),
            u8("l"),
            u8("g"),
            u8("avl"),
            u8("unusable"),
            u8("padding"));

    public static final VarHandle BASE = field(LAYOUT, "base");
    public static final VarHandle LIMIT = field(LAYOUT, "limit");
    public static final VarHandle SELECTOR = field(LAYOUT, "selector");
    public static final VarHandle TYPE = field(LAYOUT, "type");
    public static final VarHandle PRESENT = field(LAYOUT, "present");
    public static final VarHandle DPL = field(LAYOUT, "dpl");
    public static final VarHandle DB = field(LAYOUT, "db");
    public static final VarHandle S = field(LAYOUT, "s");
    public static final VarHandle L = field(LAYOUT, "l");
    public static final VarHandle G = field(LAYOUT, "g");
    public static final VarHandle AVL = field(LAYOUT, "avl");
    public static final VarHandle UNUSABLE = field(LAYOUT, "unusable");

    private KvmSegment() {}

    public static long base(MemorySegment s) { return (long) BASE.get(s); }
    public static void setBase(MemorySegment s, long v) { BASE.set(s, v); }
    public static int limit(MemorySegment s) { return (int) LIMIT.get(s); }
    public static void setLimit(MemorySegment s, int v) { LIMIT.set(s, v); }
    public static int selector(MemorySegment s) { return Short.toUnsignedInt((short) SELECTOR.get(s)); }
    public static void setSelector(MemorySegment s, int v) { SELECTOR.set(s, checkU16("selector", v)); }
    public static int type(MemorySegment s) { return Byte.toUnsignedInt((byte) TYPE.get(s)); }
    public static void setType(MemorySegment s, int v) { TYPE.set(s, checkU8("type", v)); }
    public static int present(MemorySegment s) { return Byte.toUnsignedInt((byte) PRESENT.get(s)); }
    public static void setPresent(MemorySegment s, int v) { PRESENT.set(s, checkU8("present", v)); }
    public static int dpl(MemorySegment s) { return Byte.toUnsignedInt((byte) DPL.get(s)); }
    public static void setDpl(MemorySegment s, int v) { DPL.set(s, checkU8("dpl", v)); }
    public static int db(MemorySegment s) { return Byte.toUnsignedInt((byte) DB.get(s)); }
    public static void setDb(MemorySegment s, int v) { DB.set(s, checkU8("db", v)); }
    public static int s(MemorySegment s) { return Byte.toUnsignedInt((byte) S.get(s)); }
    public static void setS(MemorySegment s, int v) { S.set(s, checkU8("s", v)); }
    public static int l(MemorySegment s) { return Byte.toUnsignedInt((byte) L.get(s)); }
    public static void setL(MemorySegment s, int v) { L.set(s, checkU8("l", v)); }
    public static int g(MemorySegment s) { return Byte.toUnsignedInt((byte) G.get(s)); }
    public static void setG(MemorySegment s, int v) { G.set(s, checkU8("g", v)); }
    public static int avl(MemorySegment s) { return Byte.toUnsignedInt((byte) AVL.get(s)); }
    public static void setAvl(MemorySegment s, int v) { AVL.set(s, checkU8("avl", v)); }
    public static int unusable(MemorySegment s) { return Byte.toUnsignedInt((byte) UNUSABLE.get(s)); }
    public static void setUnusable(MemorySegment s, int v) { UNUSABLE.set(s, checkU8("unusable", v)); }
}
