package dev.jvmm.vfio.config;

import java.util.function.Supplier;

/**
 * Counts events the guest can cause at will and logs the first few, then every power of two, so a guest
 * cannot flood the log.
 */
final class RateLimitedLog {

    private static final System.Logger LOG = System.getLogger("dev.jvmm.vfio.config");
    private static final long ALWAYS_LOGGED = 8;

    private long count;

    /** Counts one event and logs {@code message} (with the count so far) if it is due. */
    void event(System.Logger.Level level, Supplier<String> message) {
        long n = ++count;
        if (n <= ALWAYS_LOGGED || Long.bitCount(n) == 1) {
            LOG.log(level, () -> message.get() + " (" + n + " so far)");
        }
    }

    long count() {
        return count;
    }
}
