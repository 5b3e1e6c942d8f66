package dev.jvmm.kvm.testing;

/** A guest program could not be turned into flat bytes; the message says why and what to do. */
public final class GuestAssemblyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GuestAssemblyException(String message) {
        super(message);
    }

    GuestAssemblyException(String message, Throwable cause) {
        super(message, cause);
    }
}
