package dev.jvmm.memory.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A region of host memory from mmap, owned. Its segment is bound to a shared arena whose close runs
 * munmap, so a use after {@link #close()} throws {@link IllegalStateException} instead of touching
 * unmapped memory.
 */
public final class Mapping implements AutoCloseable {
    private final Arena arena;
    private final MemorySegment segment;
    private final String name;

    Mapping(MemorySegment raw, long length, String name) {
        this.arena = Arena.ofShared();
        this.name = name;
        long address = raw.address();
        this.segment = raw.reinterpret(length, arena, s -> Posix.munmap(address, length, name));
    }

    /** The mapped bytes; valid until {@link #close()}. */
    public MemorySegment segment() {
        return segment;
    }

    /** Host virtual address of the first byte. */
    public long address() {
        return segment.address();
    }

    public long length() {
        return segment.byteSize();
    }

    public String name() {
        return name;
    }

    public boolean isOpen() {
        return arena.scope().isAlive();
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "Mapping[" + name + " @0x" + Long.toHexString(segment.address()) + " +0x"
                + Long.toHexString(segment.byteSize()) + "]";
    }
}
