package dev.jvmm.bus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One address space (port I/O or MMIO) with non-overlapping device ranges. Thread-safe: vCPU threads
 * dispatch while the control thread adds and removes ranges (a guest moving a BAR).
 *
 * <p>Every access through the bus is a vCPU exit the VMM serves in user space, so the bus counts them:
 * per registered range ({@link #exitCounts()}, kept after the range is unregistered, one entry per
 * registration) and, for accesses nobody claims, per {@value #UNCLAIMED_PAGE}-byte page of the first
 * {@value #UNCLAIMED_PAGES_KEPT} pages hit ({@link #unclaimedPages()}) besides the totals.
 */
public final class Bus {
    private static final System.Logger LOG = System.getLogger(Bus.class.getName());
    private static final int LOGGED_UNCLAIMED = 10;
    static final int UNCLAIMED_PAGE = 4096;
    static final int UNCLAIMED_PAGES_KEPT = 256;

    /**
     * The accesses one registration of a range served: reads and writes since {@link #register}, and
     * whether the range is still registered.
     */
    public record RangeExits(String name, long base, long length, long reads, long writes, boolean registered) {
        public long total() {
            return reads + writes;
        }

        /** Whether {@code [base, base + length)} and {@code [from, from + size)} share an address. */
        public boolean overlaps(long from, long size) {
            return Long.compareUnsigned(base, from + size - 1) <= 0 && Long.compareUnsigned(from, base + length - 1) <= 0;
        }
    }

    /** One registration's counters; the range is found together with them on the hot path. */
    private static final class Claim {
        final Range range;
        final AtomicLong reads = new AtomicLong();
        final AtomicLong writes = new AtomicLong();
        volatile boolean registered = true;

        Claim(Range range) {
            this.range = range;
        }

        RangeExits exits() {
            return new RangeExits(range.name(), range.base(), range.length(), reads.get(), writes.get(), registered);
        }
    }

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
    private final TreeMap<Long, Claim> ranges = new TreeMap<>(Long::compareUnsigned);
    /** Every registration ever made, in order, with its counters. */
    private final List<Claim> history = new ArrayList<>();
    private final AtomicLong unclaimedReads = new AtomicLong();
    private final AtomicLong unclaimedWrites = new AtomicLong();
    private final Map<Long, AtomicLong> unclaimedPages = new ConcurrentHashMap<>();
    /** An immutable-by-convention copy of {@code ranges} that vCPU threads search without the lock. */
    private volatile TreeMap<Long, Claim> snapshot = new TreeMap<>(Long::compareUnsigned);

    public Bus(String name) {
        this.name = name;
    }

    /** Claims {@code [base, base + length)} for {@code device}; fails naming the range it would overlap. */
    public synchronized void register(String deviceName, long base, long length, BusDevice device) {
        Range r = new Range(deviceName, base, length, device);
        Map.Entry<Long, Claim> below = ranges.floorEntry(r.last());
        if (below != null && Long.compareUnsigned(below.getValue().range.last(), base) >= 0) {
            throw new IllegalArgumentException(name + " bus: " + r + " overlaps " + below.getValue().range);
        }
        Claim claim = new Claim(r);
        ranges.put(base, claim);
        history.add(claim);
        snapshot = new TreeMap<>(ranges);
    }

    /** Releases the range starting at {@code base}; returns whether one was registered there. */
    public synchronized boolean unregister(long base) {
        Claim removed = ranges.remove(base);
        snapshot = new TreeMap<>(ranges);
        if (removed != null) {
            removed.registered = false;
        }
        return removed != null;
    }

    public synchronized List<Range> ranges() {
        return ranges.values().stream().map(c -> c.range).toList();
    }

    /** The exits each registration served, in registration order, unregistered ones included. */
    public synchronized List<RangeExits> exitCounts() {
        return history.stream().map(Claim::exits).toList();
    }

    /**
     * Unclaimed accesses per {@value #UNCLAIMED_PAGE}-byte page (key: the page's first address), for the
     * first {@value #UNCLAIMED_PAGES_KEPT} pages hit; later pages count only in the totals.
     */
    public Map<Long, Long> unclaimedPages() {
        TreeMap<Long, Long> out = new TreeMap<>(Long::compareUnsigned);
        unclaimedPages.forEach((page, n) -> out.put(page, n.get()));
        return out;
    }

    private Claim find(long address, int size) {
        TreeMap<Long, Claim> view = snapshot;
        if (view.isEmpty()) {
            return null;
        }
        Map.Entry<Long, Claim> e = view.floorEntry(address);
        return e != null && e.getValue().range.contains(address, size) ? e.getValue() : null;
    }

    /** A guest read: the claiming device's answer, or all-ones when nobody claims the whole access. */
    public long read(long address, int size) {
        checkSize(size);
        Claim c = find(address, size);
        if (c == null) {
            unclaimed(unclaimedReads, "read", address, size, 0);
            return size == 8 ? -1L : (1L << (8 * size)) - 1;
        }
        c.reads.incrementAndGet();
        return c.range.device().read(address - c.range.base(), size);
    }

    /** A guest write: handed to the claiming device, or dropped and counted. */
    public void write(long address, int size, long value) {
        checkSize(size);
        Claim c = find(address, size);
        if (c == null) {
            unclaimed(unclaimedWrites, "write", address, size, value);
            return;
        }
        c.writes.incrementAndGet();
        c.range.device().write(address - c.range.base(), size, value);
    }

    private static void checkSize(int size) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new IllegalArgumentException("access size must be 1, 2, 4 or 8 bytes, got " + size);
        }
    }

    private void unclaimed(AtomicLong counter, String what, long address, int size, long value) {
        long n = counter.incrementAndGet();
        long page = address - Long.remainderUnsigned(address, UNCLAIMED_PAGE);
        AtomicLong perPage = unclaimedPages.get(page);
        if (perPage == null && unclaimedPages.size() < UNCLAIMED_PAGES_KEPT) {
            perPage = unclaimedPages.computeIfAbsent(page, p -> new AtomicLong());
        }
        if (perPage != null) {
            perPage.incrementAndGet();
        }
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
