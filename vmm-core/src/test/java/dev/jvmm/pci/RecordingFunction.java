package dev.jvmm.pci;

import dev.jvmm.bus.Bus;
import dev.jvmm.bus.BusDevice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * An emulated PCI function for tests: a config space, a log of BAR moves, and BARs mapped on the
 * MMIO or port bus while they decode (each BAR's region reads back {@code 0xba00 + index}).
 */
final class RecordingFunction implements PciDevice {
    record Move(int index, OptionalLong from, OptionalLong to) {
    }

    final String name;
    final PciConfigSpace config;
    final List<Move> moves = new ArrayList<>();
    /** Where each BAR is registered on its bus, by index; absent when unmapped or refused. */
    private final Map<Integer, Long> mapped = new HashMap<>();
    private final Bus mmio;
    private final Bus pio;

    RecordingFunction(String name, PciConfigSpace config, Bus mmio, Bus pio) {
        this.name = name;
        this.config = config;
        this.mmio = mmio;
        this.pio = pio;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int configRead(int offset, int size) {
        return config.read(offset, size);
    }

    @Override
    public void configWrite(int offset, int size, int value) {
        config.write(offset, size, value);
    }

    @Override
    public List<PciBar> bars() {
        return config.bars();
    }

    @Override
    public void barMoved(int index, OptionalLong oldAddress, OptionalLong newAddress) {
        moves.add(new Move(index, oldAddress, newAddress));
        PciBar bar = config.bar(index).orElseThrow();
        Bus bus = bar.type().isMemory() ? mmio : pio;
        if (bus == null) {
            return;
        }
        Long old = mapped.remove(index);
        if (old != null) {
            bus.unregister(old);
        }
        if (newAddress.isPresent()) {
            try {
                bus.register(name + " BAR" + index, newAddress.getAsLong(), bar.size(), region(index));
                mapped.put(index, newAddress.getAsLong());
            } catch (IllegalArgumentException overlap) {
                // The guest programmed overlapping BARs: refuse the mapping, never throw at the guest.
            }
        }
    }

    private static BusDevice region(int index) {
        return new BusDevice() {
            @Override
            public long read(long offset, int size) {
                return 0xba00 + index;
            }

            @Override
            public void write(long offset, int size, long value) {
            }
        };
    }
}
