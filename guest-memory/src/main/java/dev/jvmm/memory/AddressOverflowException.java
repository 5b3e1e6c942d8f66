package dev.jvmm.memory;

/**
 * An address computation left the unsigned 64-bit address space (it would have wrapped past
 * {@code 2^64 - 1} or below {@code 0}).
 *
 * <p>Extends {@link ArithmeticException} like {@link Math#addExact(long, long)}'s failure does: it is
 * always a bug or an unvalidated input upstream, never a state to retry.
 */
public final class AddressOverflowException extends ArithmeticException {

    public AddressOverflowException(String message) {
        super(message);
    }
}
