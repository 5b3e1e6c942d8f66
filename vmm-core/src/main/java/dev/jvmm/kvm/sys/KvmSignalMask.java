package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.U8;
import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.flexibleArray;
import static dev.jvmm.kvm.sys.Layouts.u32;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_signal_mask}, the argument of {@code KVM_SET_SIGNAL_MASK}: the signals blocked while
 * the vCPU runs in the guest. {@code len} must be the <em>kernel's</em> sigset size,
 * {@link #KERNEL_SIGSET_BYTES} (not glibc's 128-byte {@code sigset_t}), or the ioctl fails with EINVAL.
 */
public final class KvmSignalMask {

    /** The kernel's {@code sizeof(sigset_t)} (asm/signal.h): 64 signals, one bit each, in one {@code unsigned long}. */
    public static final int KERNEL_SIGSET_BYTES = 8;

    public static final StructLayout LAYOUT = Layouts.struct("kvm_signal_mask",
            u32("len"),
            flexibleArray("sigset", U8));

    public static final VarHandle LEN = field(LAYOUT, "len");
    public static final long SIGSET_OFFSET = LAYOUT.byteOffset(PathElement.groupElement("sigset"));

    private KvmSignalMask() {}

    /** A zeroed mask of {@link #KERNEL_SIGSET_BYTES} (nothing blocked) with {@code len} set. */
    public static MemorySegment allocate(Arena arena) {
        MemorySegment s = Layouts.allocateFlexible(arena, LAYOUT, U8, KERNEL_SIGSET_BYTES);
        setLen(s, KERNEL_SIGSET_BYTES);
        return s;
    }

    /** The sigset bytes: bit {@code n - 1} stands for signal {@code n}. */
    public static MemorySegment sigset(MemorySegment s) {
        return s.asSlice(SIGSET_OFFSET, len(s));
    }

    public static int len(MemorySegment s) { return (int) LEN.get(s); }
    public static void setLen(MemorySegment s, int v) { LEN.set(s, v); }
}
