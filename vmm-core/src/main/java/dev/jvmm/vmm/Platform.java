package dev.jvmm.vmm;

import dev.jvmm.acpi.AcpiPm;
import dev.jvmm.acpi.PowerOffRequest;
import dev.jvmm.bus.Bus;
import dev.jvmm.devices.I8042;
import dev.jvmm.devices.IrqLine;
import dev.jvmm.devices.PowerButton;
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
import java.util.Objects;
import java.util.Optional;

/**
 * The PC platform devices a Linux guest expects, on the VM's port-I/O and MMIO buses: COM1 (16550A on
 * IRQ 4), the i8042 (IRQ 1/12, reset through command 0xFE), port 0x92, and PCI bus 0 with its host bridge
 * reachable through 0xCF8/0xCFC and through ECAM in the layout's window, and the ACPI PM1a block
 * ({@link AcpiPm}, ports 0x600-0x605, SCI on IRQ 9) that is the machine's power button and its way to
 * power off. Interrupt lines are ISA IRQs of the in-kernel irqchip, driven with KVM_IRQ_LINE.
 */
public final class Platform {
    private final Bus pio = new Bus("pio");
    private final Bus mmio = new Bus("mmio");
    private final Serial16550 serial;
    private final I8042 i8042;
    private final AcpiPm acpiPm;
    private final PciBus pci = new PciBus(0);
    private volatile PowerButton powerButton;

    /**
     * The devices on {@code vm}'s irqchip; guest reset requests (i8042, port 0x92) go to {@code reset},
     * ACPI S5 to {@code powerOff}.
     */
    public Platform(VmFd vm, GuestLayout layout, OutputStream console, ResetRequest reset, PowerOffRequest powerOff) {
        serial = new Serial16550("ttyS0", isaIrq(vm, Serial16550.COM1_IRQ), console);
        pio.register("ttyS0", Serial16550.COM1_BASE, Serial16550.REGISTER_COUNT, serial);
        i8042 = new I8042(isaIrq(vm, 1), isaIrq(vm, 12), reset);
        i8042.register(pio);
        pio.register("port92", SystemControlPortA.PORT, 1, new SystemControlPortA(reset));
        pci.add(new PciHostBridge());
        pio.register("pci-config", PciConfigIo.PORT_BASE, PciConfigIo.PORT_COUNT, new PciConfigIo(pci));
        mmio.register("pci-ecam", layout.ecamWindow().start().value(), layout.ecamWindow().length(),
                new PciEcam(pci, layout.ecamWindow()));
        acpiPm = new AcpiPm(isaIrq(vm, AcpiPm.SCI_IRQ), powerOff);
        pio.register("acpi-pm1a", AcpiPm.PORT_BASE, AcpiPm.PORT_COUNT, acpiPm);
        installPowerButton(acpiPm);
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

    public AcpiPm acpiPm() {
        return acpiPm;
    }

    /**
     * The device that gives the guest a power button (the ACPI PM1 block); until one is installed the
     * machine has none and {@code system_powerdown} is refused.
     */
    public Optional<PowerButton> powerButton() {
        return Optional.ofNullable(powerButton);
    }

    /** Installs the machine's power button; there is at most one. */
    public void installPowerButton(PowerButton button) {
        Objects.requireNonNull(button, "button");
        if (powerButton != null) {
            throw new IllegalStateException("the platform already has a power button: " + powerButton);
        }
        powerButton = button;
    }
}
