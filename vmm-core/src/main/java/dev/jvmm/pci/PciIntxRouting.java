package dev.jvmm.pci;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the INTx pins of the functions on bus 0 reach the in-kernel IOAPIC: its pins 16-23, the ones
 * above the ISA IRQs, which {@code GsiRouting} routes as GSIs 16-23 (QEMU's q35 gives PIRQA-H the same
 * pins). Slot {@code s}, pin {@code p} (1 = INTA# ... 4 = INTD#) uses GSI {@code 16 + (s + p - 1) mod 8}:
 * the swizzle of the PCI-to-PCI Bridge Architecture 1.2 section 9.1, so the INTA# of neighbouring slots
 * land on different lines. Lines may be shared; INTx is level-triggered and active low (PCI 3.0 2.2.6).
 *
 * <p>The guest learns these routes from the MP table ({@code MpTable}, one I/O interrupt entry per used
 * slot and pin, source bus "PCI", source IRQ {@code slot << 2 | (pin - 1)} as MP 1.4 section D.3 defines)
 * and a device model raises the same GSI (an assigned device through a KVM irqfd with resample).
 */
public final class PciIntxRouting {
    public static final int FIRST_GSI = 16;
    public static final int LINES = 8;

    /** Slot {@code slot}'s pin {@code pin} (1-4) drives {@code gsi}. */
    public record Route(int slot, int pin, int gsi) {
        public Route {
            if (slot < 0 || slot >= PciBus.DEVICES || pin < 1 || pin > 4 || gsi != PciIntxRouting.gsi(slot, pin)) {
                throw new IllegalArgumentException(String.format("no INTx route slot %d pin %d -> GSI %d: slots are"
                        + " 0-31, pins 1-4 (INTA#-INTD#), and the GSI is %d", slot, pin, gsi,
                        slot >= 0 && slot < PciBus.DEVICES && pin >= 1 && pin <= 4 ? PciIntxRouting.gsi(slot, pin) : -1));
            }
        }
    }

    private PciIntxRouting() {
    }

    /** The GSI that pin {@code pin} (1 = INTA# ... 4 = INTD#) of slot {@code slot} (0-31) drives. */
    public static int gsi(int slot, int pin) {
        if (slot < 0 || slot >= PciBus.DEVICES || pin < 1 || pin > 4) {
            throw new IllegalArgumentException("INTx of slot " + slot + " pin " + pin + ": slots are 0-31, pins 1-4"
                    + " (INTA#-INTD#; 0 means no interrupt pin)");
        }
        return FIRST_GSI + (slot + pin - 1) % LINES;
    }

    /**
     * A route for every slot and pin some function on {@code bus} uses (its Interrupt Pin register is
     * 1-4), in slot then pin order, each once. Read before the guest runs (no lock against guest writes
     * is needed: the pin is read-only).
     */
    public static List<Route> routes(PciBus bus) {
        Set<Route> routes = new LinkedHashSet<>();
        bus.devices().forEach((address, device) -> {
            int pin = device.configRead(PciRegisters.INTERRUPT_PIN, 1);
            if (pin >= 1 && pin <= 4) {
                routes.add(new Route(address.device(), pin, gsi(address.device(), pin)));
            }
        });
        List<Route> sorted = new ArrayList<>(routes);
        sorted.sort((a, b) -> a.slot() != b.slot() ? Integer.compare(a.slot(), b.slot())
                : Integer.compare(a.pin(), b.pin()));
        return List.copyOf(sorted);
    }
}
