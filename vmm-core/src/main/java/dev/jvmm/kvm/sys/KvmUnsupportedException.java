package dev.jvmm.kvm.sys;

/** The host's KVM lacks something jvmm needs; the message names it. */
public final class KvmUnsupportedException extends RuntimeException {
    public KvmUnsupportedException(String message) {
        super(message);
    }
}
