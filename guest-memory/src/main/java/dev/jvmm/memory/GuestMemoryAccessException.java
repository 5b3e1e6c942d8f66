package dev.jvmm.memory;

/** An access by guest-physical address that is not wholly inside one RAM region. */
public final class GuestMemoryAccessException extends RuntimeException {
    public GuestMemoryAccessException(String message) {
        super(message);
    }
}
