package dev.jvmm.bus;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Counts guest accesses a device ignores (a write to a read-only register, an access of a size the
 * register does not have, an unknown command) and logs them at a limited rate: the first ten, then
 * the 16th, 32nd, 64th and so on. A guest that hammers a bad register therefore costs a counter
 * increment, not a log line, and can never crash the VMM.
 */
public final class GuestAccessLog {
    private static final int LOGGED_FIRST = 10;

    private final String device;
    private final System.Logger logger;
    private final AtomicLong count = new AtomicLong();

    public GuestAccessLog(String device, System.Logger logger) {
        this.device = device;
        this.logger = logger;
    }

    /** Counts one ignored access; {@code what} is only evaluated when the line is logged. */
    public void ignored(Supplier<String> what) {
        long n = count.incrementAndGet();
        if (n <= LOGGED_FIRST || Long.bitCount(n) == 1) {
            logger.log(System.Logger.Level.DEBUG, () -> device + ": ignored " + what.get() + " (" + n + " so far)");
        }
    }

    /** How many accesses were ignored since construction. */
    public long count() {
        return count.get();
    }
}
