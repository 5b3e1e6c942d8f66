package dev.jvmm.boot;

import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GpaRange;
import java.util.Objects;

/** One {@code struct boot_e820_entry}: {@code size} bytes of {@code type} from {@code addr}. */
public record E820Entry(Gpa addr, long size, E820Type type) {

    public E820Entry {
        Objects.requireNonNull(addr, "addr");
        Objects.requireNonNull(type, "type");
        GpaRange.of(addr, size); // non-empty, does not pass 2^64
    }

    public static E820Entry of(GpaRange range, E820Type type) {
        return new E820Entry(range.start(), range.length(), type);
    }

    public GpaRange range() {
        return GpaRange.of(addr, size);
    }

    @Override
    public String toString() {
        return "e820[" + Sizes.hex(addr.value()) + "-" + Sizes.hex(range().last().value()) + " " + type + "]";
    }
}
