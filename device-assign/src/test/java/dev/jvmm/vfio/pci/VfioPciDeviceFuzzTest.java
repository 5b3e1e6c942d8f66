package dev.jvmm.vfio.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmm.bus.Bus;
import dev.jvmm.kvm.Memslots;
import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.GuestLayout;
import dev.jvmm.vfio.config.BarState;
import dev.jvmm.vfio.config.BarStatus;
import java.nio.file.Path;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property test of the whole assigned device: over a million random guest config accesses (through the
 * PCI bus, offsets 0-4095, sizes 1/2/4 and random values) and BAR accesses (through the MMIO bus), mixed
 * with what real drivers do (place a BAR, turn decoding on and off, program and enable MSI and MSI-X,
 * mask vectors, reset), against the NVMe-like function in a machine of fakes. After every step:
 * <ul>
 *   <li>no exception escaped;</li>
 *   <li>KVM's memory slots and the MMIO bus's ranges are exactly the BAR's direct and trapped pieces at the
 *       address the config space reports mapped, inside a guest window, or nothing while it is not;</li>
 *   <li>identity, header type, interrupt pin, capability pointer and capability IDs/links read as at the
 *       start;</li>
 *   <li>vfio-pci has the interrupt mode the device reports (INTx, MSI or MSI-X), every irqfd sits on a
 *       routed GSI (or the INTx GSI) and the fake KVM saw no route changed under a live irqfd.</li>
 * </ul>
 * The seed is printed; rerun one with {@code -Djvmm.fuzz.seed=N}.
 */
class VfioPciDeviceFuzzTest {

    static final int STEPS = 1_000_000;

    @TempDir
    Path root;

    @Test
    void randomGuestTrafficKeepsEveryInvariant() {
        long seed = Long.getLong("jvmm.fuzz.seed", new Random().nextLong());
        System.out.println("VfioPciDeviceFuzzTest seed: " + seed + " (rerun with -Djvmm.fuzz.seed=" + seed + ")");
        long started = System.nanoTime();
        try (AssignWorld w = new AssignWorld(root); AssignedDevices a = w.attach()) {
            w.kvm.quiet(true);
            Run run = new Run(w, a.devices().getFirst(), new Random(seed));
            int step = 0;
            try {
                for (; step < STEPS; step++) {
                    run.step();
                    run.check();
                    if (step % 20_000 == 0) {
                        w.kernel.clearCalls();
                    }
                }
            } catch (Throwable t) {
                throw new AssertionError("step " + step + " with seed " + seed + " broke an invariant: " + t, t);
            }
            System.out.printf("VfioPciDeviceFuzzTest: %d steps in %.1f s; BAR mapped %d times, MSI-X enabled %d"
                    + " times, MSI %d times%n", step, (System.nanoTime() - started) / 1e9, run.maps, run.msixEnables,
                    run.msiEnables);
            assertTrue(step >= 1_000_000);
            assertTrue(run.maps > 1000 && run.msixEnables > 100 && run.msiEnables > 100,
                    "the run explored too little: " + run.maps + " maps, " + run.msixEnables + " MSI-X, "
                            + run.msiEnables + " MSI");
        }
    }

    static final class Run {
        final AssignWorld w;
        final VfioPciDevice d;
        final Random random;
        final GuestLayout layout;
        final Map<Integer, Integer> fixed = new LinkedHashMap<>();
        long maps;
        long msixEnables;
        long msiEnables;
        private Gpa lastMapped;
        private String lastMode = "INTx";

        Run(AssignWorld w, VfioPciDevice d, Random random) {
            this.w = w;
            this.d = d;
            this.random = random;
            this.layout = w.ram.layout();
            for (int off : new int[] {0x00, 0x01, 0x02, 0x03, 0x08, 0x09, 0x0a, 0x0b, 0x0e, 0x2c, 0x2d, 0x2e, 0x2f,
                    0x34, 0x3d, 0x40, 0x41, 0x50, 0x51, 0x70, 0x71, 0xb0, 0xb1}) {
                fixed.put(off, w.configRead(off, 1));
            }
            assertEquals(0x11, fixed.get(0xb0), "MSI-X is exposed");
        }

        void step() {
            int r = random.nextInt(100);
            if (r < 55) {
                randomConfig();
            } else if (r < 70) {
                randomBarAccess();
            } else {
                structured();
            }
        }

        private void randomConfig() {
            int offset = random.nextInt(10) < 7 ? random.nextInt(256) : random.nextInt(4096);
            int size = new int[] {1, 2, 4}[random.nextInt(3)];
            if (random.nextBoolean()) {
                w.pci.configRead(AssignWorld.SLOT, 0, offset, size);
            } else {
                w.pci.configWrite(AssignWorld.SLOT, 0, offset, size, random.nextInt());
            }
        }

        private void randomBarAccess() {
            long bar = barAddress();
            long address = random.nextInt(4) == 0 ? layout.mmio32Window().start().value() + random.nextInt(1 << 20)
                    : bar + random.nextInt(0x4000);
            int size = new int[] {1, 2, 4, 8}[random.nextInt(4)];
            if (random.nextBoolean()) {
                w.mmio.read(address, size);
            } else {
                w.mmio.write(address, size, random.nextLong());
            }
        }

        private long barAddress() {
            return Integer.toUnsignedLong(w.configRead(0x10, 4) & ~0xf)
                    | (Integer.toUnsignedLong(w.configRead(0x14, 4)) << 32);
        }

        private void structured() {
            switch (random.nextInt(9)) {
                case 0 -> { // place BAR0 somewhere in (or sometimes just outside) a window
                    GpaRange window = random.nextBoolean() ? layout.mmio32Window() : layout.mmio64Window();
                    long slots = window.length() / 0x4000;
                    long at = window.start().value() + 0x4000 * (random.nextLong(slots + 2) - 1);
                    w.configWrite(0x10, 4, (int) at);
                    w.configWrite(0x14, 4, (int) (at >>> 32));
                }
                case 1 -> w.configWrite(0x04, 2, random.nextInt(8) | (random.nextBoolean() ? 0x400 : 0));
                case 2 -> { // MSI-X on, maybe function-masked
                    w.configWrite(0xb2, 2, 0x8000 | (random.nextBoolean() ? 0x4000 : 0));
                }
                case 3 -> w.configWrite(0xb2, 2, random.nextBoolean() ? 0 : 0x4000);
                case 4 -> { // an MSI-X entry, through the BAR when it is mapped
                    long e = barAddress() + 0x2000 + 16L * random.nextInt(66);
                    w.mmio.write(e, 4, random.nextInt(5) == 0 ? random.nextInt() : 0xfee0_0000L | random.nextInt(16) << 12);
                    w.mmio.write(e + 8, 4, random.nextInt(0x100));
                    w.mmio.write(e + 12, 4, random.nextInt(3) == 0 ? 1 : 0);
                }
                case 5 -> { // MSI programmed and enabled or disabled
                    w.configWrite(0x54, 4, random.nextInt(5) == 0 ? random.nextInt() : 0xfee0_0000 | random.nextInt(16) << 12);
                    w.configWrite(0x5c, 2, random.nextInt(0x100));
                    w.configWrite(0x52, 2, random.nextInt(3) == 0 ? 0 : 1);
                }
                case 6 -> w.configWrite(0x60, 4, random.nextInt(2));
                case 7 -> { // BAR sizing as Linux does it
                    int saved = w.configRead(0x10, 4);
                    w.configWrite(0x10, 4, -1);
                    w.configRead(0x10, 4);
                    w.configWrite(0x10, 4, saved);
                }
                default -> {
                    if (random.nextInt(20) == 0) {
                        d.reset();
                    } else {
                        w.configWrite(0x04, 2, 0x6);
                    }
                }
            }
        }

        void check() {
            for (Map.Entry<Integer, Integer> e : fixed.entrySet()) {
                assertEquals(e.getValue(), w.configRead(e.getKey(), 1), "read-only byte 0x" + Integer.toHexString(e.getKey()));
            }
            BarState bar = d.config().bar(0).orElseThrow();
            Map<Long, Long> slots = new TreeMap<>();
            for (Memslots.Slot s : w.kvm.memslots().values()) {
                slots.put(s.gpa().start().value(), s.gpa().length());
            }
            List<Bus.Range> ranges = w.mmio.ranges();
            if (bar.status() == BarStatus.MAPPED) {
                long at = bar.address();
                GpaRange range = GpaRange.of(Gpa.of(at), 0x4000);
                assertTrue(layout.mmio32Window().contains(range) || layout.mmio64Window().contains(range),
                        "BAR0 mapped outside the windows: " + range);
                assertEquals(Map.of(at, 0x2000L, at + 0x3000, 0x1000L), slots, "memslots of BAR0 at 0x" + Long.toHexString(at));
                assertEquals(1, ranges.size(), ranges.toString());
                assertEquals(at + 0x2000, ranges.getFirst().base());
                if (!Gpa.of(at).equals(lastMapped)) {
                    maps++;
                    lastMapped = Gpa.of(at);
                }
            } else {
                assertEquals(Map.of(), slots, "BAR0 is " + bar.status() + " but memslots remain");
                assertEquals(List.of(), ranges);
                lastMapped = null;
            }
            String mode = d.interruptMode();
            int expected = switch (mode) {
                case "INTx" -> 0;
                case "MSI" -> 1;
                case "MSI-X" -> 2;
                default -> throw new AssertionError("interrupt mode " + mode);
            };
            assertEquals(expected, w.nvme.irqType(), "vfio-pci's interrupt index for " + mode);
            if (!mode.equals(lastMode)) {
                msixEnables += mode.equals("MSI-X") ? 1 : 0;
                msiEnables += mode.equals("MSI") ? 1 : 0;
                lastMode = mode;
            }
            for (Map.Entry<String, Integer> irqfd : w.kvm.irqfds().entrySet()) {
                int gsi = irqfd.getValue();
                assertTrue(gsi == 19 || w.kvm.routes().containsKey(gsi), irqfd + " has no route");
            }
            assertEquals(List.of(), w.kvm.violations());
        }
    }

}
