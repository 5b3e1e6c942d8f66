package dev.jvmm.memory.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The signal that kicks a thread out of a blocking ioctl such as KVM_RUN, without a signal handler.
 *
 * <p>The kick signal (a real-time signal the JVM does not use) stays blocked in the target thread, so it
 * can never run a handler or kill the process. KVM's own signal mask (KVM_SET_SIGNAL_MASK) unblocks it
 * only while the thread is inside KVM_RUN: a kick sent then makes KVM_RUN return EINTR; a kick sent while
 * the thread is outside stays pending and makes the next KVM_RUN return at once. The thread then
 * consumes it with {@link #consumePendingKick()}.
 */
public final class ThreadSignals {
    private static final int SIG_BLOCK = 0;
    private static final int SIGSET_BYTES = 128; // glibc sigset_t

    private static final MethodHandle PTHREAD_SELF = Posix.plainDowncall("pthread_self",
            FunctionDescriptor.of(JAVA_LONG));
    private static final MethodHandle PTHREAD_KILL = Posix.plainDowncall("pthread_kill",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle PTHREAD_SIGMASK = Posix.plainDowncall("pthread_sigmask",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SIGTIMEDWAIT = Posix.downcall("sigtimedwait",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle SIGRTMIN = Posix.plainDowncall("__libc_current_sigrtmin",
            FunctionDescriptor.of(JAVA_INT));

    /** SIGRTMIN + 3: glibc reserves 32 and 33, HotSpot uses none of the real-time signals. */
    public static final int KICK_SIGNAL = sigrtmin() + 3;

    private ThreadSignals() {
    }

    private static int sigrtmin() {
        try {
            return (int) SIGRTMIN.invokeExact();
        } catch (Throwable t) {
            throw Posix.unexpected(t);
        }
    }

    /** The calling thread's pthread_t, to kick it later from another thread. */
    public static long currentThread() {
        try {
            return (long) PTHREAD_SELF.invokeExact();
        } catch (Throwable t) {
            throw Posix.unexpected(t);
        }
    }

    /**
     * Blocks the kick signal in the calling thread and returns the kernel signal mask the thread had
     * before (the 64-bit mask KVM_SET_SIGNAL_MASK wants for the time inside KVM_RUN).
     */
    public static long blockKickSignal() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment set = sigset(a, KICK_SIGNAL);
            MemorySegment old = a.allocate(SIGSET_BYTES, 8);
            int r = (int) PTHREAD_SIGMASK.invokeExact(SIG_BLOCK, set, old);
            if (r != 0) {
                throw new ErrnoException(r, "pthread_sigmask(SIG_BLOCK, " + KICK_SIGNAL + ")");
            }
            return old.get(JAVA_LONG, 0) & ~bit(KICK_SIGNAL);
        } catch (Throwable t) {
            throw Posix.unexpected(t);
        }
    }

    /** Sends the kick signal to {@code thread}; ESRCH (thread gone) is reported as false. */
    public static boolean kick(long thread) {
        int r;
        try {
            r = (int) PTHREAD_KILL.invokeExact(thread, KICK_SIGNAL);
        } catch (Throwable t) {
            throw Posix.unexpected(t);
        }
        if (r == Errno.ESRCH) {
            return false;
        }
        if (r != 0) {
            throw new ErrnoException(r, "pthread_kill(" + KICK_SIGNAL + ")");
        }
        return true;
    }

    /** Consumes a pending kick of the calling thread, if any, without waiting. */
    public static boolean consumePendingKick() {
        MemorySegment st = Posix.callState();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment set = sigset(a, KICK_SIGNAL);
            MemorySegment zero = a.allocate(16, 8); // struct timespec {0, 0}
            int r = (int) SIGTIMEDWAIT.invokeExact(st, set, MemorySegment.NULL, zero);
            if (r == KICK_SIGNAL) {
                return true;
            }
            int e = Posix.errno(st);
            if (r < 0 && (e == Errno.EAGAIN || e == Errno.EINTR)) {
                return false;
            }
            throw new ErrnoException(e, "sigtimedwait(" + KICK_SIGNAL + ")");
        } catch (Throwable t) {
            throw Posix.unexpected(t);
        }
    }

    /**
     * Consumes every pending kick of the calling thread. Real-time signals queue, so several kicks sent
     * while the thread was busy are several pending signals.
     */
    public static int drainPendingKicks() {
        int n = 0;
        while (consumePendingKick()) {
            n++;
        }
        return n;
    }

    /** The bit of {@code signal} in a kernel sigset word. */
    public static long bit(int signal) {
        return 1L << (signal - 1);
    }

    private static MemorySegment sigset(Arena a, int signal) {
        MemorySegment set = a.allocate(SIGSET_BYTES, 8);
        set.set(JAVA_LONG, 0, bit(signal));
        return set;
    }
}
