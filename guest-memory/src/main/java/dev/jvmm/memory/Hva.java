package dev.jvmm.memory;

/**
 * A host virtual address in the VMM's own process: where guest RAM is mmap'ed, as handed to KVM memory
 * slots and VFIO_IOMMU_MAP_DMA. Inside Java, memory is passed as bounded segments in the sys layer;
 * this type appears only where a kernel struct needs the number.
 *
 * <p>{@code value} is an unsigned 64-bit address: {@code 0xffffffffffffffff} is the highest one and
 * compares above {@code 0x7fffffffffffffff}. There are no arithmetic operators: {@link #plus},
 * {@link #minus}, {@link #offsetFrom} and {@link #alignUp} throw {@link AddressOverflowException}
 * instead of wrapping. Byte counts and alignments passed in are unsigned too.
 */
public record Hva(long value) implements Comparable<Hva> {

    public static Hva of(long value) {
        return new Hva(value);
    }

    /** This address plus {@code bytes} (unsigned); throws if the result passes {@code 2^64 - 1}. */
    public Hva plus(long bytes) {
        return new Hva(AddressMath.plus("Hva", value, bytes));
    }

    /** This address minus {@code bytes} (unsigned); throws if the result would be below 0. */
    public Hva minus(long bytes) {
        return new Hva(AddressMath.minus("Hva", value, bytes));
    }

    /** Unsigned distance {@code this - base} in bytes; throws if {@code base} lies above this address. */
    public long offsetFrom(Hva base) {
        return AddressMath.offsetFrom("Hva", value, base.value);
    }

    /** Smallest multiple of {@code powerOfTwo} that is {@code >=} this address; throws on overflow. */
    public Hva alignUp(long powerOfTwo) {
        return new Hva(AddressMath.alignUp("Hva", value, powerOfTwo));
    }

    /** Largest multiple of {@code powerOfTwo} that is {@code <=} this address. */
    public Hva alignDown(long powerOfTwo) {
        return new Hva(AddressMath.alignDown(value, powerOfTwo));
    }

    public boolean isAligned(long powerOfTwo) {
        return AddressMath.isAligned(value, powerOfTwo);
    }

    /** Unsigned order. */
    @Override
    public int compareTo(Hva other) {
        return Long.compareUnsigned(value, other.value);
    }

    public boolean isBelow(Hva other) {
        return compareTo(other) < 0;
    }

    @Override
    public String toString() {
        return "Hva[" + AddressMath.hex(value) + "]";
    }
}
