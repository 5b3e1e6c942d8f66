package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_irq_routing_msi}: the {@code KVM_IRQ_ROUTING_MSI} variant of
 * {@link KvmIrqRoutingEntry}'s {@code u}: the GSI fires an MSI write of {@code data} to
 * {@code address_hi:address_lo}. {@code devid} (in an anonymous union with {@code pad}) counts only with
 * {@code KVM_MSI_VALID_DEVID} in the entry's flags.
 */
public final class KvmIrqRoutingMsi {

    /** The anonymous {@code union { __u32 pad; __u32 devid; }}. */
    private static final UnionLayout PAD_DEVID = MemoryLayout.unionLayout(u32("pad"), u32("devid"));

    public static final StructLayout LAYOUT = Layouts.struct("kvm_irq_routing_msi",
            u32("address_lo"),
            u32("address_hi"),
            u32("data"),
            PAD_DEVID);

    public static final VarHandle ADDRESS_LO = field(LAYOUT, "address_lo");
    public static final VarHandle ADDRESS_HI = field(LAYOUT, "address_hi");
    public static final VarHandle DATA = field(LAYOUT, "data");
    public static final VarHandle DEVID =
            field(LAYOUT, Layouts.anonymous(LAYOUT, PAD_DEVID), PathElement.groupElement("devid"));

    private KvmIrqRoutingMsi() {}

    public static int addressLo(MemorySegment s) { return (int) ADDRESS_LO.get(s); }
    public static void setAddressLo(MemorySegment s, int v) { ADDRESS_LO.set(s, v); }
    public static int addressHi(MemorySegment s) { return (int) ADDRESS_HI.get(s); }
    public static void setAddressHi(MemorySegment s, int v) { ADDRESS_HI.set(s, v); }
    public static int data(MemorySegment s) { return (int) DATA.get(s); }
    public static void setData(MemorySegment s, int v) { DATA.set(s, v); }
    public static int devid(MemorySegment s) { return (int) DEVID.get(s); }
    public static void setDevid(MemorySegment s, int v) { DEVID.set(s, v); }
}
