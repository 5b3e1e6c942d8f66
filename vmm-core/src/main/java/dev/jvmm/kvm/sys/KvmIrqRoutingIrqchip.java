package dev.jvmm.kvm.sys;

import static dev.jvmm.kvm.sys.Layouts.field;
import static dev.jvmm.kvm.sys.Layouts.u32;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct kvm_irq_routing_irqchip}: the {@code KVM_IRQ_ROUTING_IRQCHIP} variant of
 * {@link KvmIrqRoutingEntry}'s {@code u}: deliver the GSI to {@code pin} of in-kernel irqchip
 * {@code irqchip} ({@code KVM_IRQCHIP_PIC_MASTER}, {@code _PIC_SLAVE} or {@code _IOAPIC}).
 */
public final class KvmIrqRoutingIrqchip {

    public static final StructLayout LAYOUT = Layouts.struct("kvm_irq_routing_irqchip",
            u32("irqchip"),
            u32("pin"));

    public static final VarHandle IRQCHIP = field(LAYOUT, "irqchip");
    public static final VarHandle PIN = field(LAYOUT, "pin");

    private KvmIrqRoutingIrqchip() {}

    public static int irqchip(MemorySegment s) { return (int) IRQCHIP.get(s); }
    public static void setIrqchip(MemorySegment s, int v) { IRQCHIP.set(s, v); }
    public static int pin(MemorySegment s) { return (int) PIN.get(s); }
    public static void setPin(MemorySegment s, int v) { PIN.set(s, v); }
}
