package dev.jvmm.pci;

import static dev.jvmm.pci.PciRegisters.BAR_COUNT;
import static dev.jvmm.pci.PciRegisters.BAR_IO_FLAGS_MASK;
import static dev.jvmm.pci.PciRegisters.BAR_MEM_FLAGS_MASK;
import static dev.jvmm.pci.PciRegisters.BAR_MEM_PREFETCH;
import static dev.jvmm.pci.PciRegisters.BAR_MEM_TYPE_64;
import static dev.jvmm.pci.PciRegisters.BAR_SPACE_IO;
import static dev.jvmm.pci.PciRegisters.BASE_ADDRESS_0;
import static dev.jvmm.pci.PciRegisters.COMMAND;
import static dev.jvmm.pci.PciRegisters.COMMAND_IO;
import static dev.jvmm.pci.PciRegisters.COMMAND_MEMORY;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The six base address registers of a {@link PciConfigSpace}. The sizing protocol needs no code: the
 * writable mask of a BAR holds exactly its address bits at or above its size, so writing all-ones reads
 * back {@code ~(size - 1)} with the type bits, and any address the guest writes is forced to the BAR's
 * natural alignment, as in hardware (PCI 3.0 section 6.2.5.1).
 */
final class BarRegisters {
    static final long MIN_MEMORY_SIZE = 16;
    static final long MIN_IO_SIZE = 4;
    static final long MAX_IO_SIZE = 256;
    static final long MAX_MEMORY32_SIZE = 1L << 31;
    private static final long IO_SPACE_END = 0x1_0000;
    private static final long FOUR_GIB = 1L << 32;

    private record Definition(PciBarType type, long size, boolean prefetchable) {
    }

    private final PciConfigSpace config;
    private final Definition[] definitions = new Definition[BAR_COUNT];
    /** Registers taken as the upper half of the 64-bit BAR below them. */
    private final boolean[] upperHalf = new boolean[BAR_COUNT];

    BarRegisters(PciConfigSpace config) {
        this.config = config;
    }

    void add(int index, PciBarType type, long size, boolean prefetchable) {
        String what = "BAR " + index + " (" + type + ", 0x" + Long.toHexString(size) + " bytes)";
        if (index < 0 || index + type.registers() > BAR_COUNT) {
            throw new IllegalArgumentException(what + ": index must be 0-" + (BAR_COUNT - type.registers())
                    + (type == PciBarType.MEMORY64 ? "; a 64-bit BAR takes this register and the next" : ""));
        }
        for (int i = index; i < index + type.registers(); i++) {
            if (definitions[i] != null || upperHalf[i]) {
                throw new IllegalArgumentException(what + ": register " + i + " already holds a BAR; pick a free index");
            }
        }
        if (Long.bitCount(size) != 1) {
            throw new IllegalArgumentException(what + ": size must be a power of two; round it up");
        }
        switch (type) {
            case IO -> {
                if (size < MIN_IO_SIZE || size > MAX_IO_SIZE) {
                    throw new IllegalArgumentException(what + ": I/O BARs are 4-256 bytes (PCI 3.0 section 6.2.5.1);"
                            + " use a memory BAR for more");
                }
                if (prefetchable) {
                    throw new IllegalArgumentException(what + ": I/O BARs cannot be prefetchable");
                }
            }
            case MEMORY32 -> {
                if (size < MIN_MEMORY_SIZE || size > MAX_MEMORY32_SIZE) {
                    throw new IllegalArgumentException(what + ": 32-bit memory BARs are 16 bytes to 2 GiB; use a"
                            + " 64-bit BAR for more");
                }
            }
            case MEMORY64 -> {
                if (size < MIN_MEMORY_SIZE || size > 1L << 62) {
                    throw new IllegalArgumentException(what + ": 64-bit memory BARs are 16 bytes to 4 EiB");
                }
            }
        }
        definitions[index] = new Definition(type, size, prefetchable);
        int offset = offset(index);
        long addressMask = ~(size - 1);
        switch (type) {
            case IO -> {
                config.set(offset, 4, BAR_SPACE_IO);
                config.setWritable(offset, 4, (int) addressMask & ~BAR_IO_FLAGS_MASK);
            }
            case MEMORY32 -> {
                config.set(offset, 4, prefetchable ? BAR_MEM_PREFETCH : 0);
                config.setWritable(offset, 4, (int) addressMask & ~BAR_MEM_FLAGS_MASK);
            }
            case MEMORY64 -> {
                config.set(offset, 4, BAR_MEM_TYPE_64 | (prefetchable ? BAR_MEM_PREFETCH : 0));
                config.setWritable(offset, 4, (int) addressMask & ~BAR_MEM_FLAGS_MASK);
                config.set(offset + 4, 4, 0);
                config.setWritable(offset + 4, 4, (int) (addressMask >>> 32));
                upperHalf[index + 1] = true;
            }
        }
    }

    void setAddress(int index, long address) {
        Definition d = definition(index);
        if ((address & (d.size - 1)) != 0) {
            throw new IllegalArgumentException(String.format("BAR %d: address 0x%x is not aligned to its size 0x%x;"
                    + " BARs are naturally aligned", index, address, d.size));
        }
        // Unsigned: the highest address the BAR may start at so that it still fits its space.
        long highestStart = switch (d.type) {
            case IO -> IO_SPACE_END - d.size;
            case MEMORY32 -> FOUR_GIB - d.size;
            case MEMORY64 -> -d.size;
        };
        if (Long.compareUnsigned(address, highestStart) > 0) {
            throw new IllegalArgumentException(String.format("BAR %d: %s BAR of 0x%x bytes cannot start at 0x%x;"
                    + " the highest start that fits is 0x%x", index, d.type, d.size, address, highestStart));
        }
        int offset = offset(index);
        int flags = config.get(offset, 4) & (d.type == PciBarType.IO ? BAR_IO_FLAGS_MASK : BAR_MEM_FLAGS_MASK);
        config.set(offset, 4, (int) address | flags);
        if (d.type == PciBarType.MEMORY64) {
            config.set(offset + 4, 4, (int) (address >>> 32));
        }
    }

    Optional<PciBar> bar(int index) {
        if (index < 0 || index >= BAR_COUNT || definitions[index] == null) {
            return Optional.empty();
        }
        Definition d = definitions[index];
        long address = address(index, d);
        return Optional.of(new PciBar(index, d.type, d.size, d.prefetchable, address, decoding(d, address)));
    }

    List<PciBar> all() {
        List<PciBar> bars = new ArrayList<>();
        for (int i = 0; i < BAR_COUNT; i++) {
            bar(i).ifPresent(bars::add);
        }
        return bars;
    }

    private Definition definition(int index) {
        if (index < 0 || index >= BAR_COUNT || definitions[index] == null) {
            throw new IllegalArgumentException("BAR " + index + " was never added; add it with addBar first");
        }
        return definitions[index];
    }

    private long address(int index, Definition d) {
        int offset = offset(index);
        long low = config.get(offset, 4) & 0xffff_ffffL;
        return switch (d.type) {
            case IO -> low & ~BAR_IO_FLAGS_MASK;
            case MEMORY32 -> low & ~BAR_MEM_FLAGS_MASK;
            case MEMORY64 -> (low & ~BAR_MEM_FLAGS_MASK) | (long) config.get(offset + 4, 4) << 32;
        };
    }

    private OptionalLong decoding(Definition d, long address) {
        int command = config.get(COMMAND, 2);
        boolean enabled = (command & (d.type.isMemory() ? COMMAND_MEMORY : COMMAND_IO)) != 0;
        long last = address + d.size - 1;
        boolean fits = switch (d.type) {
            case IO -> last < IO_SPACE_END;
            case MEMORY32 -> last < FOUR_GIB - 1; // ending at 4 GiB is the all-ones sizing pattern
            case MEMORY64 -> Long.compareUnsigned(last, address) > 0 && last != -1L;
        };
        return enabled && address != 0 && fits ? OptionalLong.of(address) : OptionalLong.empty();
    }

    private static int offset(int index) {
        return BASE_ADDRESS_0 + 4 * index;
    }
}
