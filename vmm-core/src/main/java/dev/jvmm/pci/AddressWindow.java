package dev.jvmm.pci;

import java.util.Map;
import java.util.TreeMap;

/**
 * First-fit allocation of naturally aligned ranges from {@code [start, start + length)}. Addresses are
 * below 2^63 (checked), so plain signed arithmetic cannot overflow. Not thread-safe.
 */
final class AddressWindow {
    private final String name;
    private final long start;
    private final long end;
    private final TreeMap<Long, Long> used = new TreeMap<>();
    private long usedBytes;

    AddressWindow(String name, long start, long length) {
        if (start < 0 || length <= 0 || start > Long.MAX_VALUE - length) {
            throw new IllegalArgumentException(String.format("%s window at 0x%x of 0x%x bytes must lie below 2^63",
                    name, start, length));
        }
        this.name = name;
        this.start = start;
        this.end = start + length;
    }

    /** The lowest free range of {@code size} bytes aligned to {@code alignment}, or -1 when none fits. */
    long allocate(long size, long alignment) {
        long candidate = alignUp(start, alignment);
        for (Map.Entry<Long, Long> e : used.entrySet()) {
            if (candidate < 0 || candidate > end - size) {
                return -1;
            }
            if (candidate + size <= e.getKey()) {
                break;
            }
            long next = alignUp(e.getKey() + e.getValue(), alignment);
            if (next < 0) {
                return -1;
            }
            candidate = Math.max(candidate, next);
        }
        if (candidate < 0 || candidate > end - size) {
            return -1;
        }
        used.put(candidate, size);
        usedBytes += size;
        return candidate;
    }

    /** Frees the range starting at {@code address}; returns whether one was allocated there. */
    boolean release(long address) {
        Long size = used.remove(address);
        if (size == null) {
            return false;
        }
        usedBytes -= size;
        return true;
    }

    long usedBytes() {
        return usedBytes;
    }

    long length() {
        return end - start;
    }

    @Override
    public String toString() {
        return String.format("%s window [0x%x-0x%x]", name, start, end - 1);
    }

    /** {@code value} rounded up to {@code alignment}, or -1 past 2^63. */
    private static long alignUp(long value, long alignment) {
        long up = (value + alignment - 1) & -alignment;
        return up < value ? -1 : up;
    }
}
