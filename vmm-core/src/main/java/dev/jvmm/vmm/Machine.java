package dev.jvmm.vmm;

import dev.jvmm.bus.Bus;
import dev.jvmm.kvm.Vm;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.memory.sys.GuestRam;
import dev.jvmm.pci.PciBarAllocator;
import dev.jvmm.pci.PciBus;
import java.util.Objects;

/**
 * What a {@link DeviceProvider} plugs devices into: the KVM VM (memslots, GSI routes, irqfds), guest RAM
 * (for DMA mappings), PCI bus 0, the MMIO and port-I/O buses vCPU exits are served from, and the BAR
 * allocator that plays firmware (every BAR gets an address inside the guest's windows before boot).
 * INTx pins reach the IOAPIC as {@link dev.jvmm.pci.PciIntxRouting} says.
 */
public record Machine(Vm vm, GuestRam ram, PciBus pci, Bus mmio, Bus pio, PciBarAllocator barAllocator) {

    public Machine {
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(ram, "ram");
        Objects.requireNonNull(pci, "pci");
        Objects.requireNonNull(mmio, "mmio");
        Objects.requireNonNull(pio, "pio");
        Objects.requireNonNull(barAllocator, "barAllocator");
    }

    public GuestLayout layout() {
        return ram.layout();
    }
}
