package dev.jvmm.vfio.config;

import static dev.jvmm.vfio.config.PciRegs.PCI_BASE_ADDRESS_0;
import static dev.jvmm.vfio.config.PciRegs.PCI_BASE_ADDRESS_MEM_PREFETCH;
import static dev.jvmm.vfio.config.PciRegs.PCI_BASE_ADDRESS_MEM_TYPE_64;
import static dev.jvmm.vfio.config.PciRegs.PCI_BASE_ADDRESS_SPACE_IO;
import static dev.jvmm.vfio.config.PciRegs.PCI_COMMAND;
import static dev.jvmm.vfio.config.PciRegs.PCI_COMMAND_IO;
import static dev.jvmm.vfio.config.PciRegs.PCI_COMMAND_MEMORY;
import static dev.jvmm.vfio.config.PciRegs.PCI_ROM_ADDRESS;
import static dev.jvmm.vfio.config.PciRegs.PCI_ROM_ADDRESS_ENABLE;

import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GpaRange;
import java.util.ArrayList;
import java.util.List;

/**
 * The emulated BARs and expansion ROM: their register rules (sizing falls out of the writable masks:
 * writing all ones reads back the size mask and the read-only type bits), and the decision, after every
 * guest write to the command register or a BAR, of which BARs are mapped where.
 *
 * <p>A BAR is mapped when its decode bit is set (memory or I/O in the command register; for the ROM also
 * its enable bit) and its whole range lies inside the guest window for its kind ({@link GuestWindows}),
 * and does not overlap a lower-indexed BAR of this device mapped in the same pass. Otherwise it is
 * recorded with the reason ({@link BarStatus}) and not mapped.
 */
final class BarDecoder {

    private static final int IO_ADDRESS_MASK = 0xfffc; // x86 has 64 KiB of ports: bits 31..16 read as 0
    private static final int ROM_ADDRESS_MASK = 0xfffff800;

    private final ConfigRegisters regs;
    private final List<BarSpec> bars;
    private final GuestWindows windows;
    private final BarListener listener;
    private final RateLimitedLog outsideLog = new RateLimitedLog();
    private final BarState[] states = new BarState[BarSpec.ROM_INDEX + 1];
    /** What the listener was last told per index: a GpaRange, an IoPortRange, or null. */
    private final Object[] mapped = new Object[BarSpec.ROM_INDEX + 1];

    BarDecoder(ConfigRegisters regs, List<BarSpec> bars, GuestWindows windows, BarListener listener) {
        this.regs = regs;
        this.bars = List.copyOf(bars);
        this.windows = windows;
        this.listener = listener;
        for (BarSpec b : this.bars) {
            states[b.index()] = new BarState(b, 0, BarStatus.DISABLED);
        }
    }

    /** Rules for 0x10-0x27 and 0x30: implemented BARs emulated with size-derived masks, the rest 0. */
    List<RegisterRule> rules() {
        List<RegisterRule> rules = new ArrayList<>();
        boolean[] claimed = new boolean[BarSpec.BAR_COUNT];
        boolean rom = false;
        for (BarSpec b : bars) {
            int offset = PCI_BASE_ADDRESS_0 + 4 * b.index();
            long sizeMask = -b.size();
            String reason = "PCI 3.0 6.2.5.1: address bits below the size are read-only 0, so writing all ones"
                    + " reads back the size; the type bits come from the device";
            switch (b.kind()) {
                case MEMORY32 -> {
                    int type = b.prefetchable() ? PCI_BASE_ADDRESS_MEM_PREFETCH : 0;
                    rules.add(RegisterRule.emulated("BAR" + b.index(), offset, 4, (int) sizeMask & ~0xf, type, reason));
                }
                case MEMORY64 -> {
                    int type = PCI_BASE_ADDRESS_MEM_TYPE_64 | (b.prefetchable() ? PCI_BASE_ADDRESS_MEM_PREFETCH : 0);
                    rules.add(RegisterRule.emulated("BAR" + b.index(), offset, 4, (int) sizeMask & ~0xf, type, reason));
                    rules.add(RegisterRule.emulated("BAR" + (b.index() + 1) + " (upper half of BAR" + b.index() + ")",
                            offset + 4, 4, (int) (sizeMask >>> 32), 0, reason));
                    claimed[b.index() + 1] = true;
                }
                case IO -> rules.add(RegisterRule.emulated("BAR" + b.index(), offset, 4,
                        (int) sizeMask & IO_ADDRESS_MASK, PCI_BASE_ADDRESS_SPACE_IO, reason));
                case ROM -> {
                    rom = true;
                    rules.add(RegisterRule.emulated("expansion ROM BAR", PCI_ROM_ADDRESS, 4,
                            ((int) sizeMask & ROM_ADDRESS_MASK) | PCI_ROM_ADDRESS_ENABLE, 0,
                            "PCI 3.0 6.2.5.2: sized like a memory BAR; bit 0 enables decoding"));
                }
            }
            if (b.index() < BarSpec.BAR_COUNT) {
                claimed[b.index()] = true;
            }
        }
        for (int i = 0; i < BarSpec.BAR_COUNT; i++) {
            if (!claimed[i]) {
                rules.add(RegisterRule.readOnly("BAR" + i + " (unimplemented)", PCI_BASE_ADDRESS_0 + 4 * i, 4, 0,
                        "PCI 3.0 6.2.5.1: an unimplemented BAR is hardwired to 0"));
            }
        }
        if (!rom) {
            rules.add(RegisterRule.readOnly("expansion ROM BAR (hidden)", PCI_ROM_ADDRESS, 4, 0,
                    "no ROM is provided for the guest: a ROM BAR of 0 means none"));
        }
        return rules;
    }

    /** Recomputes every BAR's mapping from the registers and tells the listener what changed. */
    void update() {
        int command = regs.value(PCI_COMMAND, 2);
        Object[] wanted = new Object[mapped.length];
        for (BarSpec b : bars) {
            long address = address(b);
            BarStatus status = status(b, address, command, wanted);
            if (status == BarStatus.OUTSIDE_WINDOW && states[b.index()].status() != BarStatus.OUTSIDE_WINDOW) {
                outsideLog.event(System.Logger.Level.WARNING, () -> String.format("guest placed BAR %d (%s, 0x%x"
                        + " bytes) at 0x%x, outside its window: not mapped", b.index(), b.kind(), b.size(), address));
            }
            states[b.index()] = new BarState(b, address, status);
        }
        for (int i = 0; i < mapped.length; i++) {
            if (mapped[i] != null && !mapped[i].equals(wanted[i])) {
                Object old = mapped[i];
                mapped[i] = null;
                if (old instanceof GpaRange r) {
                    listener.barUnmapped(i, r);
                } else {
                    listener.ioBarUnmapped(i, (IoPortRange) old);
                }
            }
        }
        for (int i = 0; i < mapped.length; i++) {
            if (wanted[i] != null && mapped[i] == null) {
                if (wanted[i] instanceof GpaRange r) {
                    listener.barMapped(i, r);
                } else {
                    listener.ioBarMapped(i, (IoPortRange) wanted[i]);
                }
                mapped[i] = wanted[i];
            }
        }
    }

    private long address(BarSpec b) {
        return switch (b.kind()) {
            case MEMORY32 -> Integer.toUnsignedLong(regs.value(offset(b), 4) & ~0xf);
            case MEMORY64 -> (Integer.toUnsignedLong(regs.value(offset(b) + 4, 4)) << 32)
                    | Integer.toUnsignedLong(regs.value(offset(b), 4) & ~0xf);
            case IO -> regs.value(offset(b), 4) & IO_ADDRESS_MASK;
            case ROM -> Integer.toUnsignedLong(regs.value(PCI_ROM_ADDRESS, 4) & ROM_ADDRESS_MASK);
        };
    }

    private BarStatus status(BarSpec b, long address, int command, Object[] wanted) {
        boolean decoding = switch (b.kind()) {
            case MEMORY32, MEMORY64 -> (command & PCI_COMMAND_MEMORY) != 0;
            case IO -> (command & PCI_COMMAND_IO) != 0;
            case ROM -> (command & PCI_COMMAND_MEMORY) != 0
                    && (regs.value(PCI_ROM_ADDRESS, 4) & PCI_ROM_ADDRESS_ENABLE) != 0;
        };
        if (!decoding) {
            return BarStatus.DISABLED;
        }
        Object range = inWindow(b, address);
        if (range == null) {
            return BarStatus.OUTSIDE_WINDOW;
        }
        for (Object other : wanted) {
            if (overlaps(range, other)) {
                return BarStatus.OVERLAPPING;
            }
        }
        wanted[b.index()] = range;
        return BarStatus.MAPPED;
    }

    /** The BAR's range if it lies inside its window, else null. */
    private Object inWindow(BarSpec b, long address) {
        if (b.kind() == BarKind.IO) {
            if (address + b.size() > IoPortRange.PORT_SPACE) {
                return null;
            }
            IoPortRange ports = IoPortRange.of((int) address, (int) b.size());
            return windows.io().contains(ports) ? ports : null;
        }
        if (Long.compareUnsigned(address, -b.size()) > 0) {
            return null; // the range would pass 2^64
        }
        GpaRange range = GpaRange.of(Gpa.of(address), b.size());
        boolean inside = windows.mmio32().contains(range)
                || (b.kind() == BarKind.MEMORY64 && windows.mmio64().contains(range));
        return inside ? range : null;
    }

    private static boolean overlaps(Object a, Object b) {
        if (a instanceof GpaRange x && b instanceof GpaRange y) {
            return x.overlaps(y);
        }
        return a instanceof IoPortRange x && b instanceof IoPortRange y && x.overlaps(y);
    }

    private static int offset(BarSpec b) {
        return PCI_BASE_ADDRESS_0 + 4 * b.index();
    }

    BarState state(int index) {
        return states[index];
    }

    List<BarState> states() {
        List<BarState> out = new ArrayList<>();
        for (BarState s : states) {
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    long outsideWindowEvents() {
        return outsideLog.count();
    }
}
