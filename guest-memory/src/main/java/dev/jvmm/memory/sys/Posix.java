package dev.jvmm.memory.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * libc calls, one static method per man page, in the man page's argument order. Every call captures
 * errno per thread; failures throw {@link ErrnoException} naming the call and the descriptor it was made
 * on. The {@code *Errno} variants return {@code -errno} instead, for callers to whom a failure is an
 * ordinary answer (EINTR from KVM_RUN, EAGAIN from a non-blocking read).
 */
public final class Posix {
    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_NONBLOCK = 04000, O_CLOEXEC = 02000000;
    public static final int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    public static final int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20,
            MAP_NORESERVE = 0x4000, MAP_POPULATE = 0x8000, MAP_HUGETLB = 0x40000;
    public static final int MADV_DONTNEED = 4, MADV_DONTFORK = 10, MADV_MERGEABLE = 12, MADV_HUGEPAGE = 14;
    public static final int MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, MFD_HUGETLB = 4;
    public static final int EFD_SEMAPHORE = 1, EFD_NONBLOCK = 04000, EFD_CLOEXEC = 02000000;
    public static final short POLLIN = 0x1, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;
    public static final int RLIMIT_NOFILE = 7, RLIMIT_MEMLOCK = 8;
    public static final long RLIM_INFINITY = -1L;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");
    /** Per-thread errno capture segment; read right after the call on the thread that made it. */
    private static final ThreadLocal<MemorySegment> CALL_STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle IOCTL_PTR = downcall("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL_LONG = downcall("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle MMAP = downcall("mmap",
            FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = downcall("munmap",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle MADVISE = downcall("madvise",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MEMFD_CREATE = downcall("memfd_create",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FTRUNCATE = downcall("ftruncate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle EVENTFD = downcall("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = downcall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle PREAD = downcall("pread",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle PWRITE = downcall("pwrite",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle POLL = downcall("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle GETRLIMIT = downcall("getrlimit",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SETRLIMIT = downcall("setrlimit",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle GETTID = plainDowncall("gettid", FunctionDescriptor.of(JAVA_INT));

    private Posix() {
    }

    static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), descriptor, options);
    }

    /** A handle whose calls report failure in their return value (pthread_*), so errno is not captured. */
    static MethodHandle plainDowncall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), descriptor);
    }

    static MemorySegment callState() {
        return CALL_STATE.get();
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    // ---- files ---------------------------------------------------------------------------------

    /** open(2). Throws with the path in the message; ENOENT/EACCES get a hint. */
    public static Fd open(String path, int flags) {
        int r;
        MemorySegment st = callState();
        try (Arena a = Arena.ofConfined()) {
            r = (int) OPEN.invokeExact(st, a.allocateFrom(path), flags | O_CLOEXEC, 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (r < 0) {
            int e = errno(st);
            String fix = switch (e) {
                case Errno.ENOENT -> path + " does not exist: is the kernel module loaded?";
                case Errno.EACCES, Errno.EPERM -> "run as root or give this user read/write access to " + path;
                default -> null;
            };
            throw new ErrnoException(e, "open", path, fix);
        }
        return new Fd(r, path);
    }

    static void close(int fd, String name) {
        int r;
        MemorySegment st = callState();
        try {
            r = (int) CLOSE.invokeExact(st, fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        // Linux releases the descriptor even when close reports EINTR: only EBADF is a real failure.
        if (r < 0 && errno(st) == Errno.EBADF) {
            throw new ErrnoException(Errno.EBADF, "close", name + " (fd " + fd + ")", null);
        }
    }

    /** ioctl(2) with a pointer argument; returns the non-negative result or throws. */
    public static int ioctl(Fd fd, long request, MemorySegment arg, String requestName) {
        int r = ioctlErrno(fd, request, arg);
        if (r < 0) {
            throw new ErrnoException(-r, requestName, fd.name(), null);
        }
        return r;
    }

    /** ioctl(2) with an integer argument; returns the non-negative result or throws. */
    public static int ioctl(Fd fd, long request, long arg, String requestName) {
        int r = ioctlErrno(fd, request, arg);
        if (r < 0) {
            throw new ErrnoException(-r, requestName, fd.name(), null);
        }
        return r;
    }

    /** ioctl(2) with a pointer argument; returns the result, or {@code -errno} on failure. */
    public static int ioctlErrno(Fd fd, long request, MemorySegment arg) {
        MemorySegment st = callState();
        int r;
        try {
            r = (int) IOCTL_PTR.invokeExact(st, fd.raw(), request, arg);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        return r < 0 ? -errno(st) : r;
    }

    /** ioctl(2) with an integer argument; returns the result, or {@code -errno} on failure. */
    public static int ioctlErrno(Fd fd, long request, long arg) {
        MemorySegment st = callState();
        int r;
        try {
            r = (int) IOCTL_LONG.invokeExact(st, fd.raw(), request, arg);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        return r < 0 ? -errno(st) : r;
    }

    /** read(2) into {@code buf}; returns bytes read or {@code -errno}. */
    public static long readErrno(Fd fd, MemorySegment buf) {
        MemorySegment st = callState();
        long r;
        try {
            r = (long) READ.invokeExact(st, fd.raw(), buf, buf.byteSize());
        } catch (Throwable t) {
            throw unexpected(t);
        }
        return r < 0 ? -errno(st) : r;
    }

    /** write(2) of {@code buf}; returns bytes written or {@code -errno}. */
    public static long writeErrno(Fd fd, MemorySegment buf) {
        MemorySegment st = callState();
        long r;
        try {
            r = (long) WRITE.invokeExact(st, fd.raw(), buf, buf.byteSize());
        } catch (Throwable t) {
            throw unexpected(t);
        }
        return r < 0 ? -errno(st) : r;
    }

    /** pread(2): fills {@code buf} from {@code offset}; returns bytes read, throws on failure. */
    public static long pread(Fd fd, MemorySegment buf, long offset) {
        MemorySegment st = callState();
        long r;
        try {
            r = (long) PREAD.invokeExact(st, fd.raw(), buf, buf.byteSize(), offset);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (r < 0) {
            throw new ErrnoException(errno(st), "pread", fd.name() + " at offset 0x" + Long.toHexString(offset), null);
        }
        return r;
    }

    /** pwrite(2): writes {@code buf} at {@code offset}; returns bytes written, throws on failure. */
    public static long pwrite(Fd fd, MemorySegment buf, long offset) {
        MemorySegment st = callState();
        long r;
        try {
            r = (long) PWRITE.invokeExact(st, fd.raw(), buf, buf.byteSize(), offset);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (r < 0) {
            throw new ErrnoException(errno(st), "pwrite", fd.name() + " at offset 0x" + Long.toHexString(offset), null);
        }
        return r;
    }

    /** ftruncate(2). */
    public static void ftruncate(Fd fd, long length) {
        MemorySegment st = callState();
        int r;
        try {
            r = (int) FTRUNCATE.invokeExact(st, fd.raw(), length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (r < 0) {
            throw new ErrnoException(errno(st), "ftruncate", fd.name() + " to " + length + " bytes", null);
        }
    }

    // ---- memory --------------------------------------------------------------------------------

    /** mmap(2) of {@code fd} (or anonymous memory when {@code fd} is null). */
    public static Mapping mmap(long length, int prot, int flags, Fd fd, long offset, String name) {
        MemorySegment st = callState();
        MemorySegment p;
        try {
            p = (MemorySegment) MMAP.invokeExact(st, 0L, length, prot, flags, fd == null ? -1 : fd.raw(), offset);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (p.address() == -1L) {
            int e = errno(st);
            String fix = e == Errno.ENOMEM && (flags & MAP_HUGETLB) != 0
                    ? "reserve enough huge pages (echo N > /proc/sys/vm/nr_hugepages) or run without hugepages"
                    : null;
            throw new ErrnoException(e, "mmap", name + ", " + length + " bytes at offset 0x" + Long.toHexString(offset), fix);
        }
        return new Mapping(p, length, name);
    }

    static void munmap(long address, long length, String name) {
        MemorySegment st = callState();
        int r;
        try {
            r = (int) MUNMAP.invokeExact(st, address, length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (r < 0) {
            throw new ErrnoException(errno(st), "munmap", name, null);
        }
    }

    /** madvise(2) over the whole segment. */
    public static void madvise(MemorySegment range, int advice) {
        MemorySegment st = callState();
        int r;
        try {
            r = (int) MADVISE.invokeExact(st, range, range.byteSize(), advice);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (r < 0) {
            throw new ErrnoException(errno(st), "madvise(" + advice + ")",
                    "0x" + Long.toHexString(range.address()) + " +0x" + Long.toHexString(range.byteSize()), null);
        }
    }

    /** memfd_create(2). */
    public static Fd memfdCreate(String name, int flags) {
        MemorySegment st = callState();
        int r;
        try (Arena a = Arena.ofConfined()) {
            r = (int) MEMFD_CREATE.invokeExact(st, a.allocateFrom(name), flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (r < 0) {
            throw new ErrnoException(errno(st), "memfd_create", name, null);
        }
        return new Fd(r, "memfd:" + name);
    }

    // ---- events --------------------------------------------------------------------------------

    /** eventfd(2). */
    public static Fd eventfd(int initialValue, int flags, String name) {
        MemorySegment st = callState();
        int r;
        try {
            r = (int) EVENTFD.invokeExact(st, initialValue, flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (r < 0) {
            throw new ErrnoException(errno(st), "eventfd", name, null);
        }
        return new Fd(r, "eventfd:" + name);
    }

    /**
     * poll(2) on {@code fds} for {@code events}. Returns each descriptor's revents, or null on timeout.
     * EINTR counts as a timeout (the caller loops).
     */
    public static short[] poll(Fd[] fds, short events, int timeoutMillis) {
        MemorySegment st = callState();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pfd = a.allocate(8L * fds.length, 8);
            for (int i = 0; i < fds.length; i++) {
                pfd.set(JAVA_INT, 8L * i, fds[i].raw());
                pfd.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 8L * i + 4, events);
            }
            int r = (int) POLL.invokeExact(st, pfd, (long) fds.length, timeoutMillis);
            if (r < 0) {
                int e = errno(st);
                if (e == Errno.EINTR) {
                    return null;
                }
                throw new ErrnoException(e, "poll", fds.length + " descriptors", null);
            }
            if (r == 0) {
                return null;
            }
            short[] revents = new short[fds.length];
            for (int i = 0; i < fds.length; i++) {
                revents[i] = pfd.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 8L * i + 6);
            }
            return revents;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---- limits --------------------------------------------------------------------------------

    /** A resource limit, as struct rlimit: {@link #RLIM_INFINITY} for unlimited. */
    public record Rlimit(long current, long maximum) {
        public boolean currentAtLeast(long bytes) {
            return current == RLIM_INFINITY || Long.compareUnsigned(current, bytes) >= 0;
        }
    }

    /** getrlimit(2). */
    public static Rlimit getrlimit(int resource) {
        MemorySegment st = callState();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment rl = a.allocate(16, 8);
            int r = (int) GETRLIMIT.invokeExact(st, resource, rl);
            if (r < 0) {
                throw new ErrnoException(errno(st), "getrlimit(" + resource + ")");
            }
            return new Rlimit(rl.get(JAVA_LONG, 0), rl.get(JAVA_LONG, 8));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** setrlimit(2). */
    public static void setrlimit(int resource, Rlimit limit) {
        MemorySegment st = callState();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment rl = a.allocate(16, 8);
            rl.set(JAVA_LONG, 0, limit.current());
            rl.set(JAVA_LONG, 8, limit.maximum());
            int r = (int) SETRLIMIT.invokeExact(st, resource, rl);
            if (r < 0) {
                throw new ErrnoException(errno(st), "setrlimit(" + resource + ")", limit.toString(),
                        "raising a hard limit needs CAP_SYS_RESOURCE (run as root or set it in limits.conf)");
            }
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---- threads -------------------------------------------------------------------------------

    /**
     * gettid(2): the calling thread's kernel thread ID, the number {@code /proc/PID/task/} lists, {@code top
     * -H} shows and {@code taskset -p} takes. Cannot fail.
     */
    public static int gettid() {
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}
