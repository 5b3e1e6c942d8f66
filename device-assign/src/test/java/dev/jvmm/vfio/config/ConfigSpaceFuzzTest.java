package dev.jvmm.vfio.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.memory.GpaRange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Property test of the guest's config-space view: over a million random guest reads and writes (offsets
 * 0-4095, sizes 1/2/4, random values), mixed with structured sequences a real guest performs (BAR sizing,
 * BAR placement with decoding on, MSI and MSI-X programming, resets), against the two device models.
 * After every step the invariants are checked:
 * <ul>
 *   <li>no exception escapes a guest access;</li>
 *   <li>every mapped BAR lies inside its window, mappings follow the listener contract
 *       ({@link RecordingListener} fails otherwise) and match the reported BAR states;</li>
 *   <li>identity, header type, capability pointer and the exposed capabilities' ID/next bytes read as at
 *       the start; walking the list from 0x34 reaches exactly the exposed capabilities;</li>
 *   <li>the extended space reads 0, malformed accesses read all ones;</li>
 *   <li>the device receives writes only at registers whose rules pass writes on.</li>
 * </ul>
 * The seed is printed; rerun one with {@code -Djvmm.fuzz.seed=N}.
 */
class ConfigSpaceFuzzTest {

    static final int STEPS_PER_MODEL = 600_000;

    @Test
    void randomGuestAccessesKeepEveryInvariant() {
        long seed = Long.getLong("jvmm.fuzz.seed", new Random().nextLong());
        System.out.println("ConfigSpaceFuzzTest seed: " + seed + " (rerun with -Djvmm.fuzz.seed=" + seed + ")");
        long started = System.nanoTime();
        long steps = 0;
        Map<String, Supplier<DeviceModels.Model>> models = Map.of(
                "nvme-like", DeviceModels::nvmeLike, "edu-like", DeviceModels::eduLike);
        for (String name : List.of("nvme-like", "edu-like")) {
            steps += new Run(name, models.get(name).get(), new Random(seed ^ name.hashCode())).run(seed);
        }
        System.out.printf("ConfigSpaceFuzzTest: %d steps in %.1f s%n", steps, (System.nanoTime() - started) / 1e9);
        assertTrue(steps >= 1_000_000, "only " + steps + " steps");
    }

    /** One model under random guest traffic. */
    static final class Run {
        private final String name;
        private final DeviceModels.Model model;
        private final Random random;
        private final RecordingListener listener = new RecordingListener();
        private final VfioConfigSpace space;
        private final Map<Integer, Integer> fixed = new java.util.LinkedHashMap<>(); // offset -> value (1 byte)
        private final List<Integer> exposedOffsets;
        private final Set<Integer> deviceWritableBytes = new HashSet<>();
        private final List<BarSpec> bars;
        private int devicesWritesChecked;
        private long mapsSeen;

        Run(String name, DeviceModels.Model model, Random random) {
            this.name = name;
            this.model = model;
            this.random = random;
            this.listener.recording = false;
            this.bars = model.bars();
            this.space = VfioConfigSpace.create(model.device(), bars, VfioConfigSpaceTest.WINDOWS, listener, listener,
                    ConfigSpaceOptions.DEFAULT);
            for (int off : new int[] {0x00, 0x01, 0x02, 0x03, 0x08, 0x09, 0x0a, 0x0b, 0x0e, 0x2c, 0x2d, 0x2e, 0x2f,
                    0x34, 0x3d}) {
                fixed.put(off, space.read(off, 1));
            }
            exposedOffsets = space.exposedCapabilities().stream().map(Capability::offset).toList();
            for (Capability c : space.exposedCapabilities()) {
                fixed.put(c.offset(), space.read(c.offset(), 1));
                fixed.put(c.offset() + 1, space.read(c.offset() + 1, 1));
            }
            // Bytes whose rules pass guest writes on: command, status, PM control, PCIe controls/status.
            for (int off = 0; off < 256; off++) {
                String rule = space.describe(off);
                if (rule.equals("command") || rule.equals("status") || rule.equals("PM control/status")
                        || rule.equals("PCIe device control") || rule.equals("PCIe device status")
                        || rule.equals("PCIe device control 2")) {
                    deviceWritableBytes.add(off);
                }
            }
            assertTrue(deviceWritableBytes.size() >= 4, name + ": " + deviceWritableBytes);
        }

        long run(long seed) {
            int step = 0;
            try {
                for (; step < STEPS_PER_MODEL; step++) {
                    if (random.nextInt(10) < 8) {
                        randomAccess();
                    } else {
                        structured();
                    }
                    checkInvariants();
                }
            } catch (Throwable t) {
                throw new AssertionError(name + ": step " + step + " with seed " + seed + " broke an invariant: " + t, t);
            }
            assertTrue(mapsSeen > 1000, name + ": BARs were mapped only " + mapsSeen + " times: the run explored too little");
            return step;
        }

        private void randomAccess() {
            int offset = random.nextInt(10) < 7 ? random.nextInt(256) : random.nextInt(4096);
            int size = new int[] {1, 2, 4}[random.nextInt(3)];
            boolean valid = offset + size <= 4096 && (offset & 3) + size <= 4;
            if (random.nextBoolean()) {
                int v = space.read(offset, size);
                if (!valid) {
                    assertEquals(size == 4 ? -1 : (1 << (8 * size)) - 1, v, "malformed read at 0x" + Integer.toHexString(offset));
                } else if (offset >= 256) {
                    assertEquals(0, v, "extended space at 0x" + Integer.toHexString(offset));
                }
            } else {
                space.write(offset, size, value());
            }
        }

        private int value() {
            return switch (random.nextInt(6)) {
                case 0 -> -1;
                case 1 -> 0;
                case 2 -> 0xc000_0000 + (random.nextInt(1 << 15) << 14); // in and past the 32-bit window
                case 3 -> random.nextInt(8);                               // upper BAR halves, small flags
                default -> random.nextInt();
            };
        }

        private void structured() {
            switch (random.nextInt(8)) {
                case 0, 1 -> sizeBar();
                case 2, 3 -> placeBar();
                case 4 -> programMsi();
                case 5 -> programMsix();
                case 6 -> space.write(0x04, 2, random.nextInt(8));
                default -> {
                    if (random.nextInt(50) == 0) {
                        space.reset();
                    }
                }
            }
        }

        /** What Linux does: decoding off, write all ones, read the size, restore, decoding back. */
        private void sizeBar() {
            int index = random.nextInt(7);
            int reg = index == 6 ? 0x30 : 0x10 + 4 * index;
            int command = space.read(0x04, 2);
            space.write(0x04, 2, command & ~0x3);
            int old = space.read(reg, 4);
            space.write(reg, 4, index == 6 ? 0xfffff800 : -1);
            space.read(reg, 4);
            space.write(reg, 4, old);
            space.write(0x04, 2, command);
        }

        /** Places a BAR at an aligned address, mostly inside its window, and turns decoding on. */
        private void placeBar() {
            BarSpec b = bars.get(random.nextInt(bars.size()));
            long base = switch (b.kind()) {
                case IO -> random.nextInt(10) == 0 ? random.nextInt(0x10000) : 0x1000 + random.nextInt(0xf000);
                case MEMORY64 -> random.nextBoolean() ? (4L << 30) + random.nextLong(64L << 30)
                        : 0xc000_0000L + random.nextInt(1 << 29);
                default -> random.nextInt(10) == 0 ? Integer.toUnsignedLong(random.nextInt())
                        : 0xc000_0000L + random.nextInt(1 << 29);
            };
            base &= -b.size();
            int reg = b.kind() == BarKind.ROM ? 0x30 : 0x10 + 4 * b.index();
            space.write(reg, 4, (int) base | (b.kind() == BarKind.ROM ? random.nextInt(2) : 0));
            if (b.kind() == BarKind.MEMORY64) {
                space.write(reg + 4, 4, (int) (base >>> 32));
            }
            space.write(0x04, 2, 0x0007);
        }

        private void programMsi() {
            for (Capability c : space.exposedCapabilities()) {
                if (c.id() == PciRegs.PCI_CAP_ID_MSI) {
                    space.write(c.offset() + 4, 4, 0xfee0_0000 | random.nextInt(0x1000) << 2);
                    space.write(c.offset() + 2, 2, random.nextInt(0x80));
                    space.write(c.offset() + 8 + random.nextInt(3) * 4, 4, random.nextInt());
                }
            }
        }

        private void programMsix() {
            space.msixTable().ifPresent(t -> {
                for (Capability c : space.exposedCapabilities()) {
                    if (c.id() == PciRegs.PCI_CAP_ID_MSIX) {
                        space.write(c.offset() + 2, 2, random.nextInt(4) << 14);
                    }
                }
                long at = random.nextInt((int) t.tableSize() + 16) & ~3;
                t.write(at, random.nextBoolean() ? 4 : 8, random.nextLong());
                t.read(random.nextInt((int) t.tableSize() + 16), 4);
            });
        }

        private void checkInvariants() {
            for (Map.Entry<Integer, Integer> e : fixed.entrySet()) {
                if (space.read(e.getKey(), 1) != e.getValue()) {
                    throw new AssertionError(String.format("read-only byte 0x%02x changed from 0x%02x to 0x%02x",
                            e.getKey(), e.getValue(), space.read(e.getKey(), 1)));
                }
            }
            List<Integer> walked = new ArrayList<>();
            for (int at = space.read(0x34, 1); at != 0 && walked.size() <= exposedOffsets.size(); at = space.read(at + 1, 1)) {
                walked.add(at);
                int id = space.read(at, 1);
                if (!ConfigSpaceOptions.DEFAULT_EXPOSED_CAPABILITIES.contains(id)) {
                    throw new AssertionError("walking the list reached capability 0x" + Integer.toHexString(id));
                }
            }
            assertEquals(exposedOffsets, walked, "capabilities reachable from 0x34");
            for (BarState s : space.bars()) {
                Object mapped = listener.mapped.get(s.spec().index());
                if ((s.status() == BarStatus.MAPPED) != (mapped != null)) {
                    throw new AssertionError(s + " but the listener has " + mapped);
                }
                if (mapped instanceof GpaRange r) {
                    GuestWindows w = VfioConfigSpaceTest.WINDOWS;
                    boolean inside = w.mmio32().contains(r) || (s.spec().kind() == BarKind.MEMORY64 && w.mmio64().contains(r));
                    if (!inside || r.start().value() != s.address() || r.length() != s.spec().size()) {
                        throw new AssertionError(s + " mapped at " + r + " outside its window or not where programmed");
                    }
                } else if (mapped instanceof IoPortRange p && !VfioConfigSpaceTest.WINDOWS.io().contains(p)) {
                    throw new AssertionError(s + " mapped at " + p + " outside the I/O window");
                }
            }
            mapsSeen = listener.mapCalls;
            List<FakePciDevice.Write> writes = model.device().writes;
            for (; devicesWritesChecked < writes.size(); devicesWritesChecked++) {
                FakePciDevice.Write w = writes.get(devicesWritesChecked);
                for (int i = 0; i < w.width(); i++) {
                    if (!deviceWritableBytes.contains(w.offset() + i)) {
                        throw new AssertionError("the device received a write to 0x" + Integer.toHexString(w.offset() + i)
                                + " (" + space.describe(w.offset() + i) + "): " + w);
                    }
                }
            }
            if (writes.size() > 100_000) {
                writes.clear();
                devicesWritesChecked = 0;
            }
        }
    }
}
