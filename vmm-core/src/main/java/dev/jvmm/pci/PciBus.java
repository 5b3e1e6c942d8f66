package dev.jvmm.pci;

import static dev.jvmm.pci.PciRegisters.BAR_COUNT;
import static dev.jvmm.pci.PciRegisters.BASE_ADDRESS_0;
import static dev.jvmm.pci.PciRegisters.COMMAND;

import dev.jvmm.bus.GuestAccessLog;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One PCI bus (domain 0): up to 32 devices of up to 8 functions, addressed by {@link PciBdf}. Config
 * accesses from {@link PciConfigIo} and {@link PciEcam} meet here, serialized by the bus's lock, and
 * functions nobody occupies read all-ones (how enumerators see an empty slot).
 *
 * <p>After every guest write that touches Command or a BAR register, the bus compares where each of
 * the function's BARs decodes before and after, and reports each change to
 * {@link PciDevice#barMoved}: so sizing a BAR with decoding disabled, as Linux does, reports nothing.
 */
public final class PciBus {
    public static final int DEVICES = 32;
    public static final int FUNCTIONS = 8;

    private static final System.Logger LOG = System.getLogger(PciBus.class.getName());
    private static final int BARS_END = BASE_ADDRESS_0 + 4 * BAR_COUNT;

    private final int number;
    private final TreeMap<PciBdf, PciDevice> functions = new TreeMap<>();
    private final GuestAccessLog ignored;

    /** An empty bus numbered {@code number} (0 for the root bus). */
    public PciBus(int number) {
        if (number < 0 || number > PciBdf.MAX_BUS) {
            throw new IllegalArgumentException("PCI bus number must be 0-255, got " + number);
        }
        this.number = number;
        this.ignored = new GuestAccessLog(String.format("pci bus %02x", number), LOG);
    }

    public int number() {
        return number;
    }

    /** Adds {@code device} as function 0 of the lowest free device number; returns its address. */
    public synchronized PciBdf add(PciDevice device) {
        for (int d = 0; d < DEVICES; d++) {
            PciBdf candidate = new PciBdf(0, number, d, 0);
            if (slotIsFree(d)) {
                functions.put(candidate, Objects.requireNonNull(device, "device"));
                return candidate;
            }
        }
        throw new IllegalStateException(String.format("cannot add %s: all %d device slots on bus %02x are taken;"
                + " remove a device or place it as another function of a multi-function slot with addr=",
                device.name(), DEVICES, number));
    }

    /**
     * Adds {@code device} at {@code address} (the user's {@code addr=}). For functions 1-7, function 0
     * of the same device must set the multi-function bit of its header type, or guests will not look.
     */
    public synchronized PciBdf add(PciDevice device, PciBdf address) {
        Objects.requireNonNull(device, "device");
        if (address.domain() != 0 || address.bus() != number) {
            throw new IllegalArgumentException(String.format("cannot add %s at %s: this bus is 0000:%02x; use an"
                    + " address of the form %02x:dd.f", device.name(), address, number, number));
        }
        PciDevice present = functions.get(address);
        if (present != null) {
            throw new IllegalArgumentException(String.format("cannot add %s at %s: %s is there; pick another addr="
                    + " or leave it out for the next free slot", device.name(), address.toShortString(), present.name()));
        }
        functions.put(address, device);
        return address;
    }

    /** Removes and returns the function at {@code address}, if any. */
    public synchronized Optional<PciDevice> remove(PciBdf address) {
        return Optional.ofNullable(functions.remove(address));
    }

    public synchronized Optional<PciDevice> device(PciBdf address) {
        return Optional.ofNullable(functions.get(address));
    }

    /** All functions by address. */
    public synchronized SortedMap<PciBdf, PciDevice> devices() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(functions));
    }

    private boolean slotIsFree(int device) {
        return functions.subMap(new PciBdf(0, number, device, 0), true, new PciBdf(0, number, device, 7), true)
                .isEmpty();
    }

    /** A guest config read of function {@code device.function}; all-ones where nothing answers. */
    public synchronized int configRead(int device, int function, int offset, int size) {
        PciDevice d = lookup(device, function, offset, size);
        if (d == null) {
            return allOnes(size);
        }
        return d.configRead(offset, size);
    }

    /** A guest config write; dropped where nothing answers. Reports BAR moves to the device. */
    public synchronized void configWrite(int device, int function, int offset, int size, int value) {
        PciDevice d = lookup(device, function, offset, size);
        if (d == null) {
            return;
        }
        if (!touchesDecoding(offset, size)) {
            d.configWrite(offset, size, value);
            return;
        }
        List<PciBar> before = d.bars();
        d.configWrite(offset, size, value);
        List<PciBar> after = d.bars();
        for (PciBar old : before) {
            OptionalLong now = after.stream().filter(b -> b.index() == old.index()).findFirst()
                    .map(PciBar::decoding).orElse(OptionalLong.empty());
            if (!old.decoding().equals(now)) {
                d.barMoved(old.index(), old.decoding(), now);
            }
        }
    }

    private PciDevice lookup(int device, int function, int offset, int size) {
        if (device < 0 || device >= DEVICES || function < 0 || function >= FUNCTIONS
                || offset < 0 || offset >= PciConfigSpace.EXTENDED_SIZE || (size != 1 && size != 2 && size != 4)
                || (offset & 3) + size > 4) {
            ignored.ignored(() -> String.format("config access of %d bytes at %02x.%x offset 0x%x", size, device,
                    function, offset));
            return null;
        }
        return functions.get(new PciBdf(0, number, device, function));
    }

    private static boolean touchesDecoding(int offset, int size) {
        int end = offset + size;
        return (offset < COMMAND + 2 && end > COMMAND) || (offset < BARS_END && end > BASE_ADDRESS_0);
    }

    static int allOnes(int size) {
        return size >= 4 ? -1 : (1 << (8 * size)) - 1;
    }
}
