package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.U32;
import static dev.jvmm.kvm.sys.Layouts.array;
import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;
import static dev.jvmm.kvm.sys.Layouts.u64;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_clock_data}, the argument of {@code KVM_GET_CLOCK} and {@code KVM_SET_CLOCK}: the VM's
 * kvmclock in nanoseconds ({@code clock}). {@code KVM_GET_CLOCK} also fills {@code flags} with
 * {@code KVM_CLOCK_TSC_STABLE}, and with {@code KVM_CLOCK_REALTIME} / {@code KVM_CLOCK_HOST_TSC} when it
 * filled {@code realtime} / {@code host_tsc}. Given those flags, {@code KVM_SET_CLOCK} advances the clock by
 * the host time elapsed since then (for migration); with {@code flags} 0 it sets exactly {@code clock}.
 */
public final class KvmClockData {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_clock_data",
            u64("clock"),
            u32("flags"),
            u32("pad0"),
            u64("realtime"),
            u64("host_tsc"),
            array("pad", 4, U32));

    public static final VarHandle CLOCK = field(LAYOUT, "clock");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle REALTIME = field(LAYOUT, "realtime");
    public static final VarHandle HOST_TSC = field(LAYOUT, "host_tsc");

    private KvmClockData() {}

    public static long clock(MemorySegment s) { return (long) CLOCK.get(s); }
    public static void setClock(MemorySegment s, long v) { CLOCK.set(s, v); }
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
    public static long realtime(MemorySegment s) { return (long) REALTIME.get(s); }
    public static long hostTsc(MemorySegment s) { return (long) HOST_TSC.get(s); }
}
