package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.U32;
import static dev.jvmm.kvm.sys.Layouts.array;
import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_pit_config}, the argument of {@code KVM_CREATE_PIT2}; {@code flags} may hold
 * {@code KVM_PIT_SPEAKER_DUMMY} (emulate port 0x61 so guests that probe the speaker do not exit).
 */
public final class KvmPitConfig {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_pit_config",
            u32("flags"),
            array("pad", 15, U32));

    public static final VarHandle FLAGS = field(LAYOUT, "flags");

    private KvmPitConfig() {}

    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
}
