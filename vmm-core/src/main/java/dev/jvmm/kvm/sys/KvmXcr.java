package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;
import static dev.jvmm.kvm.sys.Layouts.u64;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/** {@code struct kvm_xcr} (asm/kvm.h): one extended control register (XCR0 is {@code xcr} 0) in {@link KvmXcrs}. */
public final class KvmXcr {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_xcr",
            u32("xcr"),
            u32("reserved"),
            u64("value"));

    public static final VarHandle XCR = field(LAYOUT, "xcr");
    public static final VarHandle VALUE = field(LAYOUT, "value");

    private KvmXcr() {}

    public static int xcr(MemorySegment s) { return (int) XCR.get(s); }
    public static void setXcr(MemorySegment s, int v) { XCR.set(s, v); }
    public static long value(MemorySegment s) { return (long) VALUE.get(s); }
    public static void setValue(MemorySegment s, long v) { VALUE.set(s, v); }
}
