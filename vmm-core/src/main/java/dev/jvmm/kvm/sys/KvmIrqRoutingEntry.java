package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.U32;
import static dev.jvmm.kvm.sys.Layouts.array;
import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;
import static dev.jvmm.kvm.sys.Layouts.u64;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_irq_routing_entry}: one GSI route in a {@link KvmIrqRouting}. {@code type} says which
 * member of the union {@code u} applies: {@link KvmIrqRoutingIrqchip} for {@code KVM_IRQ_ROUTING_IRQCHIP},
 * {@link KvmIrqRoutingMsi} for {@code KVM_IRQ_ROUTING_MSI}. Of the other variants only s390's
 * {@code adapter} is laid out, because its {@code __u64} members give the union (and so this struct and
 * {@link KvmIrqRouting}) 8-byte alignment; Hyper-V and Xen are not modelled, and {@code u.pad[8]} fixes
 * the union's size regardless.
 */
public final class KvmIrqRoutingEntry {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_irq_routing_entry",
            u32("gsi"),
            u32("type"),
            u32("flags"),
            u32("pad"),
            MemoryLayout.unionLayout(
                    KvmIrqRoutingIrqchip.LAYOUT.withName("irqchip"),
                    KvmIrqRoutingMsi.LAYOUT.withName("msi"),
                    MemoryLayout.structLayout( // struct kvm_irq_routing_s390_adapter
                            u64("ind_addr"), u64("summary_addr"), u64("ind_offset"),
                            u32("summary_offset"), u32("adapter_id")).withName("adapter"),
                    array("pad", 8, U32)).withName("u"));

    public static final VarHandle GSI = field(LAYOUT, "gsi");
    public static final VarHandle TYPE = field(LAYOUT, "type");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");

    private static final long IRQCHIP_OFFSET =
            LAYOUT.byteOffset(PathElement.groupElement("u"), PathElement.groupElement("irqchip"));
    private static final long MSI_OFFSET =
            LAYOUT.byteOffset(PathElement.groupElement("u"), PathElement.groupElement("msi"));

    private KvmIrqRoutingEntry() {}

    public static int gsi(MemorySegment s) { return (int) GSI.get(s); }
    public static void setGsi(MemorySegment s, int v) { GSI.set(s, v); }
    /** {@code KVM_IRQ_ROUTING_*}. */
    public static int type(MemorySegment s) { return (int) TYPE.get(s); }
    public static void setType(MemorySegment s, int v) { TYPE.set(s, v); }
    /** {@code KVM_MSI_VALID_DEVID} for MSI routes, else 0. */
    public static int flags(MemorySegment s) { return (int) FLAGS.get(s); }
    public static void setFlags(MemorySegment s, int v) { FLAGS.set(s, v); }

    /** {@code u.irqchip}, to be used with {@link KvmIrqRoutingIrqchip}. */
    public static MemorySegment irqchip(MemorySegment s) {
        return s.asSlice(IRQCHIP_OFFSET, KvmIrqRoutingIrqchip.LAYOUT);
    }

    /** {@code u.msi}, to be used with {@link KvmIrqRoutingMsi}. */
    public static MemorySegment msi(MemorySegment s) {
        return s.asSlice(MSI_OFFSET, KvmIrqRoutingMsi.LAYOUT);
    }

    /** Fills {@code s} as a route from {@code gsi} to {@code pin} of in-kernel {@code irqchip}. */
    public static void setIrqchipRoute(MemorySegment s, int gsi, int irqchip, int pin) {
        s.fill((byte) 0);
        setGsi(s, gsi);
        setType(s, KvmConstants.KVM_IRQ_ROUTING_IRQCHIP);
        MemorySegment u = irqchip(s);
        KvmIrqRoutingIrqchip.setIrqchip(u, irqchip);
        KvmIrqRoutingIrqchip.setPin(u, pin);
    }

    /** Fills {@code s} as a route from {@code gsi} to the MSI message {@code address}/{@code data}. */
    public static void setMsiRoute(MemorySegment s, int gsi, long address, int data) {
        s.fill((byte) 0);
        setGsi(s, gsi);
        setType(s, KvmConstants.KVM_IRQ_ROUTING_MSI);
        MemorySegment u = msi(s);
        KvmIrqRoutingMsi.setAddressLo(u, (int) address);
        KvmIrqRoutingMsi.setAddressHi(u, (int) (address >>> 32));
        KvmIrqRoutingMsi.setData(u, data);
    }
}
