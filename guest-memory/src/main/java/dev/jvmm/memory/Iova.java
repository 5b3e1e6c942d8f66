package dev.jvmm.memory;

/**
 * An I/O virtual address: what an assigned device puts on the bus for DMA, translated by the host
 * IOMMU through the mappings VFIO installs. jvmm maps guest RAM with IOVA = GPA, but the two stay
 * distinct types so that the one place translating between them is visible.
 *
 * <p>{@code value} is an unsigned 64-bit address: {@code 0xffffffffffffffff} is the highest one and
 * compares above {@code 0x7fffffffffffffff}. There are no arithmetic operators: {@link #plus},
 * {@link #minus}, {@link #offsetFrom} and {@link #alignUp} throw {@link AddressOverflowException}
 * instead of wrapping. Byte counts and alignments passed in are unsigned too.
 */
public record Iova(long value) implements Comparable<Iova> {

    public static Iova of(long value) {
        return new Iova(value);
    }

    /** This address plus {@code bytes} (unsigned); throws if the result passes {@code 2^64 - 1}. */
    public Iova plus(long bytes) {
        return new Iova(AddressMath.plus("Iova", value, bytes));
    }

    /** This address minus {@code bytes} (unsigned); throws if the result would be below 0. */
    public Iova minus(long bytes) {
        return new Iova(AddressMath.minus("Iova", value, bytes));
    }

    /** Unsigned distance {@code this - base} in bytes; throws if {@code base} lies above this address. */
    public long offsetFrom(Iova base) {
        return AddressMath.offsetFrom("Iova", value, base.value);
    }

    /** Smallest multiple of {@code powerOfTwo} that is {@code >=} this address; throws on overflow. */
    public Iova alignUp(long powerOfTwo) {
        return new Iova(AddressMath.alignUp("Iova", value, powerOfTwo));
    }

    /** Largest multiple of {@code powerOfTwo} that is {@code <=} this address. */
    public Iova alignDown(long powerOfTwo) {
        return new Iova(AddressMath.alignDown(value, powerOfTwo));
    }

    public boolean isAligned(long powerOfTwo) {
        return AddressMath.isAligned(value, powerOfTwo);
    }

    /** Unsigned order. */
    @Override
    public int compareTo(Iova other) {
        return Long.compareUnsigned(value, other.value);
    }

    public boolean isBelow(Iova other) {
        return compareTo(other) < 0;
    }

    @Override
    public String toString() {
        return "Iova[" + AddressMath.hex(value) + "]";
    }
}
