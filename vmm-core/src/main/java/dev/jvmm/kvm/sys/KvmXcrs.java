package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.U64;
import static dev.jvmm.kvm.sys.Layouts.array;
import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;

import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_xcrs} (asm/kvm.h), the argument of {@code KVM_GET_XCRS}/{@code KVM_SET_XCRS}:
 * {@code nr_xcrs} valid {@link KvmXcr}s out of room for {@code KVM_MAX_XCRS}.
 */
public final class KvmXcrs {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_xcrs",
            u32("nr_xcrs"),
            u32("flags"),
            array("xcrs", KvmConstants.KVM_MAX_XCRS, KvmXcr.LAYOUT),
            array("padding", 16, U64));

    public static final VarHandle NR_XCRS = field(LAYOUT, "nr_xcrs");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");

    private KvmXcrs() {}

    public static int nrXcrs(MemorySegment s) { return (int) NR_XCRS.get(s); }
    public static void setNrXcrs(MemorySegment s, int v) { NR_XCRS.set(s, v); }
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }

    /** {@code xcrs[index]}, to be used with {@link KvmXcr}. */
    public static MemorySegment xcr(MemorySegment s, int index) {
        if (index < 0 || index >= KvmConstants.KVM_MAX_XCRS) {
            throw new IndexOutOfBoundsException(
                    "xcrs[" + index + "]: kvm_xcrs holds KVM_MAX_XCRS = " + KvmConstants.KVM_MAX_XCRS);
        }
        long offset = LAYOUT.byteOffset(PathElement.groupElement("xcrs"), PathElement.sequenceElement(index));
        return s.asSlice(offset, KvmXcr.LAYOUT);
    }
}
