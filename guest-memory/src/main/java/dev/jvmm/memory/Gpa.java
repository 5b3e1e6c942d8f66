package dev.jvmm.memory;

/**
 * A guest-physical address: what the guest's CPUs put on their memory bus, and what KVM memory slots
 * and the guest layout are expressed in.
 *
 * <p>{@code value} is an unsigned 64-bit address: {@code 0xffffffffffffffff} is the highest one and
 * compares above {@code 0x7fffffffffffffff}. There are no arithmetic operators: {@link #plus},
 * {@link #minus}, {@link #offsetFrom} and {@link #alignUp} throw {@link AddressOverflowException}
 * instead of wrapping. Byte counts and alignments passed in are unsigned too.
 */
public record Gpa(long value) implements Comparable<Gpa> {

    public static Gpa of(long value) {
        return new Gpa(value);
    }

    /** This address plus {@code bytes} (unsigned); throws if the result passes {@code 2^64 - 1}. */
    public Gpa plus(long bytes) {
        return new Gpa(AddressMath.plus("Gpa", value, bytes));
    }

    /** This address minus {@code bytes} (unsigned); throws if the result would be below 0. */
    public Gpa minus(long bytes) {
        return new Gpa(AddressMath.minus("Gpa", value, bytes));
    }

    /** Unsigned distance {@code this - base} in bytes; throws if {@code base} lies above this address. */
    public long offsetFrom(Gpa base) {
        return AddressMath.offsetFrom("Gpa", value, base.value);
    }

    /** Smallest multiple of {@code powerOfTwo} that is {@code >=} this address; throws on overflow. */
    public Gpa alignUp(long powerOfTwo) {
        return new Gpa(AddressMath.alignUp("Gpa", value, powerOfTwo));
    }

    /** Largest multiple of {@code powerOfTwo} that is {@code <=} this address. */
    public Gpa alignDown(long powerOfTwo) {
        return new Gpa(AddressMath.alignDown(value, powerOfTwo));
    }

    public boolean isAligned(long powerOfTwo) {
        return AddressMath.isAligned(value, powerOfTwo);
    }

    /** Unsigned order. */
    @Override
    public int compareTo(Gpa other) {
        return Long.compareUnsigned(value, other.value);
    }

    public boolean isBelow(Gpa other) {
        return compareTo(other) < 0;
    }

    @Override
    public String toString() {
        return "Gpa[" + AddressMath.hex(value) + "]";
    }
}
