package dev.jvmm.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BusTest {
    /** Records accesses; reads answer the offset so dispatch arithmetic is visible. */
    static final class Recorder implements BusDevice {
        final List<String> log = new ArrayList<>();

        @Override
        public long read(long offset, int size) {
            log.add("r" + size + "@" + offset);
            return offset + 0x100;
        }

        @Override
        public void write(long offset, int size, long value) {
            log.add("w" + size + "@" + offset + "=" + Long.toHexString(value));
        }
    }

    @Test
    void dispatchesRelativeOffsetsToTheClaimingDevice() {
        Bus bus = new Bus("pio");
        Recorder serial = new Recorder();
        bus.register("serial", 0x3f8, 8, serial);
        assertEquals(0x105, bus.read(0x3fd, 1));
        bus.write(0x3f8, 1, 'A');
        assertEquals(List.of("r1@5", "w1@0=41"), serial.log);
    }

    @Test
    void unclaimedReadsAreAllOnesAndWritesAreDroppedAndCounted() {
        Bus bus = new Bus("mmio");
        bus.register("dev", 0x1000, 0x10, new Recorder());
        assertEquals(0xffL, bus.read(0x2000, 1));
        assertEquals(0xffffL, bus.read(0x2000, 2));
        assertEquals(0xffff_ffffL, bus.read(0x2000, 4));
        assertEquals(-1L, bus.read(0x2000, 8));
        // An access straddling the end of a range is not the device's.
        assertEquals(0xffff_ffffL, bus.read(0x100e, 4));
        bus.write(0x0, 4, 7);
        assertEquals(5, bus.unclaimedReads());
        assertEquals(1, bus.unclaimedWrites());
    }

    @Test
    void aBusNothingWasEverRegisteredOnAnswersAllOnes() {
        Bus bus = new Bus("mmio");
        assertEquals(0xffff_ffffL, bus.read(0x1000, 4));
        bus.write(0x1000, 4, 1);
        assertEquals(1, bus.unclaimedReads());
        assertEquals(1, bus.unclaimedWrites());
    }

    @Test
    void overlappingRegistrationNamesBothDevices() {
        Bus bus = new Bus("mmio");
        bus.register("a", 0x1000, 0x1000, new Recorder());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bus.register("b", 0x1fff, 2, new Recorder()));
        assertTrue(e.getMessage().contains("b [0x1fff-0x2000] overlaps a [0x1000-0x1fff]"), e.getMessage());
        bus.register("c", 0x2000, 0x10, new Recorder());
        assertTrue(bus.unregister(0x1000));
        bus.register("b", 0x1fff, 1, new Recorder());
    }

    @Test
    void rangesAtTheTopOfTheAddressSpaceWork() {
        Bus bus = new Bus("mmio");
        Recorder top = new Recorder();
        bus.register("top", 0xffff_ffff_ffff_f000L, 0x1000, top);
        assertEquals(0xff8 + 0x100, bus.read(0xffff_ffff_ffff_fff8L, 8));
        assertThrows(IllegalArgumentException.class, () -> bus.register("wrap", -16L, 32, new Recorder()));
        assertThrows(IllegalArgumentException.class, () -> bus.read(0, 3));
    }

    @Test
    void randomAccessesReachExactlyTheDeviceThatClaimsThem() {
        long seed = Long.getLong("jvmm.seed", System.nanoTime());
        Random rnd = new Random(seed);
        Bus bus = new Bus("mmio");
        long[] bases = new long[16];
        Recorder[] devices = new Recorder[16];
        for (int i = 0; i < 16; i++) {
            bases[i] = 0x10000L * i + 0x100;
            devices[i] = new Recorder();
            bus.register("d" + i, bases[i], 0x100, devices[i]);
        }
        for (int n = 0; n < 50_000; n++) {
            long addr = rnd.nextLong(0x10000L * 17);
            int size = 1 << rnd.nextInt(4);
            int owner = -1;
            for (int i = 0; i < 16; i++) {
                if (addr >= bases[i] && addr + size <= bases[i] + 0x100) {
                    owner = i;
                }
            }
            long v = bus.read(addr, size);
            long expect = owner < 0 ? (size == 8 ? -1L : (1L << (8 * size)) - 1) : addr - bases[owner] + 0x100;
            assertEquals(expect, v, "seed " + seed + " addr 0x" + Long.toHexString(addr) + " size " + size);
        }
    }
}
