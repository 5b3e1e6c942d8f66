package dev.jvmm.kvm;

/** One entry of KVM's GSI routing table (struct kvm_irq_routing_entry). */
public sealed interface IrqRoute {
    int gsi();

    /** GSI wired to a pin of the in-kernel PIC (chip 0 master, 1 slave) or IOAPIC (chip 2). */
    record Irqchip(int gsi, int chip, int pin) implements IrqRoute {
        public static final int PIC_MASTER = 0, PIC_SLAVE = 1, IOAPIC = 2;
    }

    /** GSI that delivers an MSI: the address/data pair a device would write (0xFEExxxxx, vector in data). */
    record Msi(int gsi, long address, int data) implements IrqRoute {
        public Msi {
            if ((address & 0xfff0_0000L) != 0xfee0_0000L) {
                throw new IllegalArgumentException(String.format(
                        "MSI address 0x%x is outside the x86 interrupt window 0xfee00000-0xfeefffff", address));
            }
        }
    }
}
