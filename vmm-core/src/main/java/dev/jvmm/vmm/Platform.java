package dev.jvmm.vmm;

import dev.jvmm.bus.Bus;
import dev.jvmm.devices.I8042;
import dev.jvmm.devices.IrqLine;
import dev.jvmm.devices.ResetRequest;
import dev.jvmm.devices.Serial16550;
import dev.jvmm.devices.SystemControlPortA;
import dev.jvmm.kvm.sys.VmFd;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.pci.PciBus;
import dev.jvmm.pci.PciConfigIo;
import dev.jvmm.pci.PciEcam;
import dev.jvmm.pci.PciHostBridge;
import java.io.OutputStream;

/**
 * The PC platform devices a Linux guest expects, on the VM's port-I/O and MMIO buses: COM1 (16550A on
 * IRQ 4), the i8042 (IRQ 1/12, reset through command 0xFE), port 0x92, and PCI bus 0 with its host bridge
 * reachable through 0xCF8/0xCFC and through ECAM in the layout's window. Interrupt lines are ISA IRQs of
 * the in-kernel irqchip, driven with KVM_IRQ_LINE.
 */
public final class Platform {
    private final Bus pio = new Bus("pio");
    private final Bus mmio = new Bus("mmio");
    private final Serial16550 serial;
    private final I8042 i8042;
    private final PciBus pci = new PciBus(0);

    public Platform(VmFd vm, GuestLayout layout, OutputStream console, ResetRequest reset) {
        serial = new Serial16550("ttyS0", isaIrq(vm, Serial16550.COM1_IRQ), console);
        pio.register("ttyS0", Serial16550.COM1_BASE, Serial16550.REGISTER_COUNT, serial);
        i8042 = new I8042(isaIrq(vm, 1), isaIrq(vm, 12), reset);
        i8042.register(pio);
        pio.register("port92", SystemControlPortA.PORT, 1, new SystemControlPortA(reset));
        pci.add(new PciHostBridge());
        pio.register("pci-config", PciConfigIo.PORT_BASE, PciConfigIo.PORT_COUNT, new PciConfigIo(pci));
        mmio.register("pci-ecam", layout.ecamWindow().start().value(), layout.ecamWindow().length(),
                new PciEcam(pci, layout.ecamWindow()));
    }

    /** An ISA interrupt line of the in-kernel PIC/IOAPIC. */
    static IrqLine isaIrq(VmFd vm, int irq) {
        return asserted -> vm.irqLine(irq, asserted);
    }

    public Bus pio() {
        return pio;
    }

    public Bus mmio() {
        return mmio;
    }

    public Serial16550 serial() {
        return serial;
    }

    public PciBus pci() {
        return pci;
    }

    public I8042 i8042() {
        return i8042;
    }
}
