package dev.jvmm.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.bus.Bus;
import dev.jvmm.memory.GuestLayout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A quarter million random guest config accesses through 0xcf8/0xcfc and ECAM, of every size at every
 * offset, with biased values (all-ones as in BAR sizing, zero, random). After each write the bytes it
 * targeted hold what the masks say; every 1000 operations, and at the end, a full sweep checks that no
 * read-only byte of any function changed, that BAR type bits and the IDs are what the devices were
 * built with, and that the BAR moves reported add up to where each BAR decodes now.
 */
class PciConfigRandomTest {
    static final int OPERATIONS = 250_000;
    static final long ECAM_BASE = GuestLayout.ECAM_WINDOW.start().value();

    record Built(int devfn, RecordingFunction function, byte[] initial, byte[] writable, byte[] w1c) {
    }

    final Bus pio = new Bus("pio");
    final Bus mmio = new Bus("mmio");
    final Bus barMmio = new Bus("bar-mmio");
    final Bus barPio = new Bus("bar-pio");
    final PciBus bus = new PciBus(0);
    final PciConfigIo conf1 = new PciConfigIo(bus);
    final PciEcam ecam = new PciEcam(bus, GuestLayout.ECAM_WINDOW);

    RecordingFunction build(String name, int size) {
        PciConfigSpace config = PciConfigSpace.type0(new PciIdentity(0x1af4, 0x1040 + size / 256, 1, 0x02_00_00,
                0x1af4, 0x1100), size);
        return new RecordingFunction(name, config, barMmio, barPio);
    }

    @Test
    void randomConfigAccessesKeepEveryInvariant() {
        long seed = Long.getLong("jvmm.seed", System.nanoTime());
        System.out.println("PciConfigRandomTest seed " + seed + " (rerun with -Djvmm.seed=" + seed + ")");
        Random rnd = new Random(seed);

        RecordingFunction a = build("a", PciConfigSpace.EXTENDED_SIZE);
        a.config.addBar(0, PciBarType.MEMORY32, 0x1000, false);
        a.config.addBar(1, PciBarType.IO, 0x40, false);
        a.config.addBar(2, PciBarType.MEMORY64, 1L << 34, true);
        a.config.addBar(4, PciBarType.MEMORY64, 0x4000, false);
        int msix = a.config.addCapability(PciRegisters.CAP_ID_MSIX, new byte[] {0x07, 0x00, 0x00, 0x30, 0, 0, 0x40, 0x30, 0, 0});
        a.config.setWritable(msix + 3, 1, 0xc0); // MSI-X Enable and Function Mask
        int msi = a.config.addCapability(PciRegisters.CAP_ID_MSI, new byte[12]);
        a.config.setWritable(msi + 2, 1, 0x71);
        a.config.setWritable(msi + 4, 4, 0xffff_fffc);
        a.config.addExtendedCapability(0x0003, 1, new byte[8]);
        a.config.setInterruptPin(1);
        a.config.setMultiFunction(true);
        RecordingFunction b = build("b", PciConfigSpace.CONVENTIONAL_SIZE);
        b.config.addBar(0, PciBarType.MEMORY32, 0x10, true);
        b.config.addBar(5, PciBarType.IO, 0x4, false);
        b.config.set(PciRegisters.STATUS, 2, 0xf900 | PciRegisters.STATUS_CAP_LIST); // error bits set by "hardware"
        RecordingFunction c = build("c", PciConfigSpace.CONVENTIONAL_SIZE);
        c.config.addBar(3, PciBarType.MEMORY64, 0x10, false);

        bus.add(new PciHostBridge());
        bus.add(a, PciBdf.parse("00:03.0"));
        bus.add(b, PciBdf.parse("00:03.1"));
        bus.add(c, PciBdf.parse("00:1f.0"));
        pio.register("pci-conf1", PciConfigIo.PORT_BASE, PciConfigIo.PORT_COUNT, conf1);
        mmio.register("pci-ecam", ECAM_BASE, GuestLayout.ECAM_WINDOW.length(), ecam);

        List<Built> built = List.of(snapshot(3 << 3, a), snapshot(3 << 3 | 1, b), snapshot(0x1f << 3, c));
        int[] devfns = {0, 3 << 3, 3 << 3 | 1, 0x1f << 3, 2 << 3, 3 << 3 | 2};

        for (int op = 0; op < OPERATIONS; op++) {
            String where = "seed " + seed + " op " + op;
            try {
                switch (rnd.nextInt(10)) {
                    case 0 -> pio.write(0xcf8, 4, addressValue(rnd, devfns) & 0xffff_ffffL);
                    case 1, 2, 3 -> {
                        int size = 1 << rnd.nextInt(3);
                        long port = 0xcfc + rnd.nextInt(4);
                        pio.read(port, size);
                    }
                    case 4, 5, 6 -> {
                        int size = 1 << rnd.nextInt(3);
                        int lane = rnd.nextInt(4);
                        int value = value(rnd);
                        int address = conf1.address();
                        Built target = target(built, address);
                        int reg = (address & 0xfc) + lane;
                        boolean delivered = target != null && lane + size <= 4 && reg + size <= target.initial.length;
                        int before = delivered ? target.function.config.get(reg, size) : 0;
                        pio.write(0xcfc + lane, size, value & 0xffff_ffffL);
                        if (delivered) {
                            checkWrite(target, before, reg, size, value, where);
                        }
                    }
                    case 7 -> {
                        // Raw device calls with any offset and size, as a misbehaving dispatcher might make.
                        long offset = rnd.nextInt(12) - 2;
                        int size = rnd.nextInt(10);
                        if (rnd.nextBoolean()) {
                            conf1.read(offset, size);
                        } else {
                            conf1.write(offset, size, value(rnd));
                        }
                    }
                    default -> {
                        int devfn = devfns[rnd.nextInt(devfns.length)];
                        long offset = ((long) (rnd.nextInt(8) == 0 ? rnd.nextInt(256) : 0) << 20)
                                + ((long) devfn << 12) + rnd.nextInt(0x1000);
                        int size = 1 << rnd.nextInt(4);
                        if (rnd.nextBoolean()) {
                            offset &= -size; // mostly aligned
                        }
                        if (rnd.nextBoolean()) {
                            mmio.read(ECAM_BASE + offset, size);
                        } else {
                            mmio.write(ECAM_BASE + offset, size, value(rnd) & 0xffff_ffffL);
                        }
                    }
                }
            } catch (RuntimeException e) {
                throw new AssertionError(where + ": an exception escaped", e);
            }
            if (op % 1000 == 999 || op == OPERATIONS - 1) {
                for (Built f : built) {
                    sweep(f, where);
                    checkMoves(f.function, where);
                }
            }
        }
        int totalMoves = built.stream().mapToInt(f -> f.function.moves.size()).sum();
        System.out.println("PciConfigRandomTest: " + OPERATIONS + " operations, " + totalMoves + " BAR moves reported");
        assertTrue(totalMoves > 0, "seed " + seed + ": the run should have moved some BARs");
    }

    static Built snapshot(int devfn, RecordingFunction f) {
        int size = f.config.size();
        byte[] writable = new byte[size];
        byte[] w1c = new byte[size];
        for (int i = 0; i < size; i++) {
            writable[i] = (byte) f.config.writableMask(i, 1);
            w1c[i] = (byte) f.config.writeOneToClearMask(i, 1);
        }
        return new Built(devfn, f, bytesOf(f.config), writable, w1c);
    }

    static byte[] bytesOf(PciConfigSpace config) {
        byte[] bytes = new byte[config.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) config.get(i, 1);
        }
        return bytes;
    }

    static int addressValue(Random rnd, int[] devfns) {
        int enable = rnd.nextInt(10) < 8 ? 0x8000_0000 : 0;
        int busNo = rnd.nextInt(10) < 8 ? 0 : rnd.nextInt(256);
        int devfn = rnd.nextInt(10) < 8 ? devfns[rnd.nextInt(devfns.length)] : rnd.nextInt(256);
        return enable | busNo << 16 | devfn << 8 | rnd.nextInt(256) | (rnd.nextInt(20) == 0 ? 0x7f00_0000 : 0);
    }

    static int value(Random rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> -1;
            case 1 -> 0;
            case 2 -> 1 << rnd.nextInt(32);
            default -> rnd.nextInt();
        };
    }

    static Built target(List<Built> built, int address) {
        if ((address & 0x8000_0000) == 0 || (address >>> 16 & 0xff) != 0) {
            return null;
        }
        int devfn = address >>> 8 & 0xff;
        return built.stream().filter(f -> f.devfn == devfn).findFirst().orElse(null);
    }

    /** The bytes a data-port write targeted now hold what the masks make of old and new values. */
    static void checkWrite(Built f, int before, int reg, int size, int value, String where) {
        for (int i = 0; i < size; i++) {
            int o = reg + i;
            int v = value >>> (8 * i) & 0xff;
            int w = f.writable[o] & 0xff;
            int c = f.w1c[o] & 0xff;
            int old = before >>> (8 * i) & 0xff;
            int expected = (old & ~w & ~(v & c)) | (v & w);
            assertEquals(expected, f.function.config.get(o, 1),
                    String.format("%s: %s byte 0x%x after writing 0x%02x", where, f.function.name, o, v));
        }
    }

    static void sweep(Built f, String where) {
        PciConfigSpace config = f.function.config;
        for (int o = 0; o < config.size(); o++) {
            if (f.writable[o] == 0 && f.w1c[o] == 0) {
                assertEquals(f.initial[o] & 0xff, config.get(o, 1),
                        String.format("%s: read-only byte 0x%x of %s changed", where, o, f.function.name));
            }
        }
        assertEquals(0x1af4, config.get(0x00, 2), where);
        assertEquals(0x02_00_00_01, config.get(0x08, 4), where);
        for (PciBar bar : config.bars()) {
            int low = config.get(0x10 + 4 * bar.index(), 4);
            int expectedFlags = switch (bar.type()) {
                case IO -> 0x1;
                case MEMORY32 -> bar.prefetchable() ? 0x8 : 0x0;
                case MEMORY64 -> 0x4 | (bar.prefetchable() ? 0x8 : 0x0);
            };
            int flagMask = bar.type() == PciBarType.IO ? 0x3 : 0xf;
            assertEquals(expectedFlags, low & flagMask, where + ": BAR" + bar.index() + " type bits of " + f.function.name);
            assertEquals(0, bar.address() & (bar.size() - 1), where + ": BAR" + bar.index() + " aligned to its size");
        }
    }

    /** Replays the moves reported so far: each starts where the last ended, and they end at the truth. */
    static void checkMoves(RecordingFunction f, String where) {
        Map<Integer, OptionalLong> state = new HashMap<>();
        for (int i = 0; i < f.moves.size(); i++) {
            RecordingFunction.Move m = f.moves.get(i);
            OptionalLong current = state.getOrDefault(m.index(), OptionalLong.empty());
            assertEquals(current, m.from(), where + ": move " + i + " of " + f.name + " starts where the BAR was");
            assertTrue(!m.from().equals(m.to()), where + ": move " + i + " of " + f.name + " changes nothing");
            state.put(m.index(), m.to());
        }
        for (PciBar bar : f.config.bars()) {
            assertEquals(bar.decoding(), state.getOrDefault(bar.index(), OptionalLong.empty()),
                    where + ": reported moves of " + f.name + " BAR" + bar.index() + " end where it decodes");
        }
    }
}
