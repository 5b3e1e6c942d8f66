package dev.jvmm.memory.sys;

/** Names of Linux x86-64 errno values, as in asm-generic/errno-base.h and errno.h. */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7,
            EBADF = 9, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17,
            ENODEV = 19, EINVAL = 22, ENFILE = 23, EMFILE = 24, ENOTTY = 25, ENOSPC = 28, ERANGE = 34,
            ENOSYS = 38, EOPNOTSUPP = 95, ETIMEDOUT = 110;

    private static final String[] NAMES = new String[134];

    static {
        String table = """
                1 EPERM 2 ENOENT 3 ESRCH 4 EINTR 5 EIO 6 ENXIO 7 E2BIG 8 ENOEXEC 9 EBADF 10 ECHILD
                11 EAGAIN 12 ENOMEM 13 EACCES 14 EFAULT 15 ENOTBLK 16 EBUSY 17 EEXIST 18 EXDEV 19 ENODEV
                20 ENOTDIR 21 EISDIR 22 EINVAL 23 ENFILE 24 EMFILE 25 ENOTTY 26 ETXTBSY 27 EFBIG 28 ENOSPC
                29 ESPIPE 30 EROFS 31 EMLINK 32 EPIPE 33 EDOM 34 ERANGE 35 EDEADLK 36 ENAMETOOLONG 37 ENOLCK
                38 ENOSYS 39 ENOTEMPTY 40 ELOOP 61 ENODATA 62 ETIME 75 EOVERFLOW 84 EILSEQ 95 EOPNOTSUPP
                98 EADDRINUSE 99 EADDRNOTAVAIL 104 ECONNRESET 107 ENOTCONN 110 ETIMEDOUT 111 ECONNREFUSED
                114 EALREADY 115 EINPROGRESS 125 ECANCELED 133 EHWPOISON""";
        String[] words = table.split("\\s+");
        for (int i = 0; i < words.length; i += 2) {
            NAMES[Integer.parseInt(words[i])] = words[i + 1];
        }
    }

    private Errno() {
    }

    /** The symbolic name, or {@code "errno N"} for a value this table does not know. */
    public static String name(int errno) {
        if (errno > 0 && errno < NAMES.length && NAMES[errno] != null) {
            return NAMES[errno];
        }
        return "errno " + errno;
    }
}
