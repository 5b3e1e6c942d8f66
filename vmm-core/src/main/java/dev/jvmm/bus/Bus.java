package dev.jvmm.bus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One address space (port I/O or MMIO) with non-overlapping device ranges. Thread-safe: vCPU threads
 * dispatch while the control thread adds and removes ranges (a guest moving a BAR).
 */
public final class Bus {
    private static final System.Logger LOG = System.getLogger(Bus.class.getName());
    private static final int LOGGED_UNCLAIMED = 10;

    /** A claimed range {@code [base, base + length)}. */
    public record Range(String name, long base, long length, BusDevice device) {
        public Range {
            if (length <= 0) {
                throw new IllegalArgumentException(name + ": range length must be positive, got " + length);
            }
            if (Long.compareUnsigned(base + length - 1, base) < 0) {
                throw new IllegalArgumentException(name + ": range 0x" + Long.toHexString(base) + " + 0x"
                        + Long.toHexString(length) + " wraps around the address space");
            }
        }

        long last() {
            return base + length - 1;
        }

        boolean contains(long address, int size) {
            return Long.compareUnsigned(address, base) >= 0
                    && Long.compareUnsigned(address + size - 1, last()) <= 0
                    && Long.compareUnsigned(address + size - 1, address) >= 0;
        }

        @Override
        public String toString() {
            return name + " [0x" + Long.toHexString(base) + "-0x" + Long.toHexString(last()) + "]";
        }
    }

    private final String name;
    private final TreeMap<Long, Range> ranges = new TreeMap<>(Long::compareUnsigned);
    private final AtomicLong unclaimedReads = new AtomicLong();
    private final AtomicLong unclaimedWrites = new AtomicLong();
    /** An immutable-by-convention copy of {@code ranges} that vCPU threads search without the lock. */
    private volatile TreeMap<Long, Range> snapshot = new TreeMap<>(Long::compareUnsigned);

    public Bus(String name) {
        this.name = name;
    }

    /** Claims {@code [base, base + length)} for {@code device}; fails naming the range it would overlap. */
    public synchronized void register(String deviceName, long base, long length, BusDevice device) {
        Range r = new Range(deviceName, base, length, device);
        Map.Entry<Long, Range> below = ranges.floorEntry(r.last());
        if (below != null && Long.compareUnsigned(below.getValue().last(), base) >= 0) {
            throw new IllegalArgumentException(name + " bus: " + r + " overlaps " + below.getValue());
        }
        ranges.put(base, r);
        snapshot = new TreeMap<>(ranges);
    }

    /** Releases the range starting at {@code base}; returns whether one was registered there. */
    public synchronized boolean unregister(long base) {
        boolean removed = ranges.remove(base) != null;
        snapshot = new TreeMap<>(ranges);
        return removed;
    }

    public synchronized List<Range> ranges() {
        return new ArrayList<>(ranges.values());
    }

    private Range find(long address, int size) {
        TreeMap<Long, Range> view = snapshot;
        if (view.isEmpty()) {
            return null;
        }
        Map.Entry<Long, Range> e = view.floorEntry(address);
        return e != null && e.getValue().contains(address, size) ? e.getValue() : null;
    }

    /** A guest read: the claiming device's answer, or all-ones when nobody claims the whole access. */
    public long read(long address, int size) {
        checkSize(size);
        Range r = find(address, size);
        if (r == null) {
            unclaimed(unclaimedReads, "read", address, size, 0);
            return size == 8 ? -1L : (1L << (8 * size)) - 1;
        }
        return r.device().read(address - r.base(), size);
    }

    /** A guest write: handed to the claiming device, or dropped and counted. */
    public void write(long address, int size, long value) {
        checkSize(size);
        Range r = find(address, size);
        if (r == null) {
            unclaimed(unclaimedWrites, "write", address, size, value);
            return;
        }
        r.device().write(address - r.base(), size, value);
    }

    private static void checkSize(int size) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new IllegalArgumentException("access size must be 1, 2, 4 or 8 bytes, got " + size);
        }
    }

    private void unclaimed(AtomicLong counter, String what, long address, int size, long value) {
        long n = counter.incrementAndGet();
        if (n <= LOGGED_UNCLAIMED || Long.bitCount(n) == 1) {
            LOG.log(System.Logger.Level.DEBUG, () -> String.format(
                    "%s bus: unclaimed %d-byte %s at 0x%x%s (%d so far)", name, size, what, address,
                    what.equals("write") ? String.format(" of 0x%x", value) : "", n));
        }
    }

    public long unclaimedReads() {
        return unclaimedReads.get();
    }

    public long unclaimedWrites() {
        return unclaimedWrites.get();
    }

    public String name() {
        return name;
    }
}
