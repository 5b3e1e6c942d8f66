package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.U8;
import static dev.jvmm.kvm.sys.Layouts.array;
import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_msi}, the argument of {@code KVM_SIGNAL_MSI}: inject one MSI write of {@code data} to
 * {@code address_hi:address_lo} now. {@code devid} counts only with {@code KVM_MSI_VALID_DEVID} in
 * {@code flags}.
 */
public final class KvmMsi {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_msi",
            u32("address_lo"),
            u32("address_hi"),
            u32("data"),
            u32("flags"),
            u32("devid"),
            array("pad", 12, U8));

    public static final VarHandle ADDRESS_LO = field(LAYOUT, "address_lo");
    public static final VarHandle ADDRESS_HI = field(LAYOUT, "address_hi");
    public static final VarHandle DATA = field(LAYOUT, "data");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle DEVID = field(LAYOUT, "devid");

    private KvmMsi() {}

    public static int addressLo(MemorySegment s) { return (int) ADDRESS_LO.get(s); }
    public static void setAddressLo(MemorySegment s, int v) { ADDRESS_LO.set(s, v); }
    public static int addressHi(MemorySegment s) { return (int) ADDRESS_HI.get(s); }
    public static void setAddressHi(MemorySegment s, int v) { ADDRESS_HI.set(s, v); }
    public static int data(MemorySegment s) { return (int) DATA.get(s); }
    public static void setData(MemorySegment s, int v) { DATA.set(s, v); }
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }
    public static int devid(MemorySegment s) { return (int) DEVID.get(s); }
    public static void setDevid(MemorySegment s, int v) { DEVID.set(s, v); }
}
